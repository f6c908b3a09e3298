using System.Globalization;

namespace ReconMesh.Demo;

/// <summary>
/// The demo's settings: <c>--run-id</c> (every tenant, company, site and credential of the run derives from it, so
/// <c>seed</c> and <c>run</c> agree), <c>--invoices</c> (open invoices per tenant), the sandbox's and the services'
/// URLs, <c>--timeout-seconds</c> (the longest wait for one phase), and the two kinds of human interference.
/// </summary>
internal sealed record DemoOptions(Uri Sandbox, Uri Ingest, Uri Writeback, string RunId, int Invoices, TimeSpan Timeout, bool VoidOneByHand,
    bool DeleteOnePaymentByHand)
{
    public static DemoOptions Parse(string[] args)
    {
        var values = Options(args);
        string Get(string key, string fallback) => values.TryGetValue(key, out var v) ? v : fallback;
        return new DemoOptions(
            new Uri(Get("sandbox", "http://127.0.0.1:5080")),
            new Uri(Get("ingest", "http://127.0.0.1:5081")),
            new Uri(Get("writeback", "http://127.0.0.1:5083")),
            Get("run-id", "local"),
            int.Parse(Get("invoices", "1500"), CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(int.Parse(Get("timeout-seconds", "600"), CultureInfo.InvariantCulture)),
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
