using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ReconMesh.ServiceDefaults.Security;

namespace ReconMesh.ServiceDefaults.Hosting;

/// <summary>
/// The public webhooks' own listener, apart from the operator API's: the API keeps the addresses ASP.NET Core is given
/// (<c>ASPNETCORE_URLS</c>, or <c>ASPNETCORE_HTTP_PORTS</c> as in the container images), the webhooks get
/// <see cref="UrlsKey"/>. Which endpoint answers on which port is decided by <see cref="SeparateDoors"/>.
/// </summary>
public static class WebhookListener
{
    /// <summary>The webhook listener's addresses, separated by <c>;</c> like <c>ASPNETCORE_URLS</c> (e.g. <c>http://+:8081</c>).</summary>
    public const string UrlsKey = "ReconMesh:Webhooks:Urls";

    /// <summary>ASP.NET Core's own default when no address is configured.</summary>
    private const string AspNetCoreDefault = "http://localhost:5000";

    /// <summary>
    /// Listens on the API's addresses and on <see cref="UrlsKey"/> (required: the process exits with code 2 without it,
    /// with a port of 0, or with a port the API also uses).
    /// </summary>
    public static WebApplicationBuilder AddWebhookListener(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configured = RequiredSettings.Get(builder.Configuration, UrlsKey,
            "The signed webhooks answer on a listener of their own, apart from the operator API (e.g. http://+:8081; docs/security.md, \"Separate doors\").");
        if (builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            RequiredSettings.Fail($"Kestrel:Endpoints would replace the webhook listener ({UrlsKey}): give the API's addresses as ASPNETCORE_URLS instead.");
        }

        var webhookUrls = Split(configured);
        var apiUrls = ApiUrls(builder.Configuration);
        var webhookPorts = PortsOf(webhookUrls, UrlsKey);
        var apiPorts = PortsOf(apiUrls, "the API's addresses (ASPNETCORE_URLS)");
        if (webhookPorts.Contains(0))
        {
            RequiredSettings.Fail($"{UrlsKey} needs a fixed port, not 0: the port is how a request is known to have come through the webhooks' door.");
        }

        if (webhookPorts.Intersect(apiPorts).Any())
        {
            RequiredSettings.Fail($"{UrlsKey} ({configured}) shares a port with the API ({string.Join(';', apiUrls)}): the webhooks need a port of their own.");
        }

        // The webhooks' fixed ports first, so an API address with port 0 (the system's choice) cannot take one of them.
        builder.WebHost.UseUrls([.. webhookUrls, .. apiUrls]);
        builder.Services.AddSingleton(new WebhookDoor(webhookPorts));
        return builder;
    }

    /// <summary>The addresses ASP.NET Core would listen on without the webhooks: <c>urls</c>, else <c>http_ports</c> and <c>https_ports</c>, else its default.</summary>
    private static IReadOnlyList<string> ApiUrls(ConfigurationManager configuration)
    {
        if (Split(configuration[WebHostDefaults.ServerUrlsKey]) is { Count: > 0 } urls)
        {
            return urls;
        }

        IReadOnlyList<string> ports =
        [
            .. Split(configuration[WebHostDefaults.HttpPortsKey]).Select(p => $"http://*:{p}"),
            .. Split(configuration[WebHostDefaults.HttpsPortsKey]).Select(p => $"https://*:{p}"),
        ];
        return ports.Count > 0 ? ports : [AspNetCoreDefault];
    }

    private static HashSet<int> PortsOf(IEnumerable<string> urls, string what)
    {
        var ports = new HashSet<int>();
        foreach (var url in urls)
        {
            try
            {
                ports.Add(BindingAddress.Parse(url).Port);
            }
            catch (FormatException ex)
            {
                RequiredSettings.Fail($"{what}: '{url}' is not an address to listen on ({ex.Message}).");
            }
        }

        return ports;
    }

    private static List<string> Split(string? urls) =>
        [.. (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
