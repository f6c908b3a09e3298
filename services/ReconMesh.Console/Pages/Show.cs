using System.Globalization;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace ReconMesh.OperatorConsole.Pages;

/// <summary>How the pages show times and money: one way everywhere, machine-readable where HTML has a way.</summary>
public static class Show
{
    public static IHtmlContent When(DateTimeOffset? when) =>
        when is { } w
            ? new HtmlString(string.Create(CultureInfo.InvariantCulture,
                $"<time datetime=\"{HtmlEncoder.Default.Encode(w.ToString("O", CultureInfo.InvariantCulture))}\">{w.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC</time>"))
            : new HtmlString("<span class=\"muted\">never</span>");

    public static string Money(decimal amount, string? currency) =>
        string.Create(CultureInfo.InvariantCulture, $"{amount:N2} {currency}").TrimEnd();

    public static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
}
