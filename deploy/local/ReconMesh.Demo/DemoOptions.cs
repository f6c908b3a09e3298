using System.Globalization;

namespace ReconMesh.Demo;

internal sealed record DemoOptions(Uri Sandbox, string Realm, string Token, string Tenant, int Invoices, TimeSpan Timeout, bool VoidOneByHand, bool DeleteOnePaymentByHand)
{
    public static DemoOptions Parse(string[] args)
    {
        var values = Options(args);
        string Get(string key, string fallback) => values.TryGetValue(key, out var v) ? v : fallback;
        return new DemoOptions(
            new Uri(Get("sandbox", "http://127.0.0.1:5080")),
            Get("realm", "9130357766900000"),
            Get("token", "sandbox-qbo-token"),
            Get("tenant", "demo-tenant"),
            int.Parse(Get("invoices", "200"), CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(int.Parse(Get("timeout-seconds", "300"), CultureInfo.InvariantCulture)),
            Get("void-one-by-hand", "false") == "true",
            Get("delete-one-payment-by-hand", "false") == "true");
    }

    /// <summary>The <c>--name value</c> pairs of a command line.</summary>
    public static Dictionary<string, string> Options(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        return values;
    }
}
