using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ReconMesh.Sandbox.Xero;

/// <summary>Reading the admin API's camelCase JSON bodies (at most 1 MB) and writing its answers.</summary>
internal static class XeroAdminJson
{
    private const int MaxBodyBytes = 1024 * 1024;

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>The body as a JSON object, or null when it is not one (an empty body is an empty object).</summary>
    public static Task<JsonDocument?> ReadObjectAsync(HttpContext context) => SandboxRequests.ReadObjectAsync(context, MaxBodyBytes, emptyIsObject: true);

    public static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()!.Trim()
            : null;

    public static int? Int(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;

    public static decimal? Decimal(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number) ? number : null;

    public static bool Bool(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    public static DateOnly? Date(JsonElement root, string name)
    {
        var text = String(root, name);
        if (text is null)
        {
            return null;
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new ArgumentException($"{name} must be a date (yyyy-MM-dd).");
    }

    public static IEnumerable<JsonElement> Array(JsonElement root, string name, int max)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > max || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.Object))
        {
            throw new ArgumentException($"{name} must be an array of at most {max} objects.");
        }

        return value.EnumerateArray();
    }

    public static Task WriteAsync(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(body, Options);
    }

    public static Task ErrorAsync(HttpContext context, int status, string message) => WriteAsync(context, status, new { error = message });
}
