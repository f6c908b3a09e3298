using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using ReconMesh.Contracts.Invoices;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.InvoiceIngest;
using ReconMesh.PaymentEvents;
using ReconMesh.WritebackService;

namespace ReconMesh.IntegrationTests.EndToEnd;

/// <summary>
/// Issue #9, must-show 3: the trace of one payment, exported by the services' own OTLP exporters from three separate
/// processes (the built dlls, configured by environment variables as <c>deploy/local/processes.sh</c> does), collected
/// by a small OTLP/HTTP receiver in the test. The sandbox (QuickBooks and the platform) runs in the test process.
/// <para>
/// What "one trace per payment, from the platform's event to the integration's write" covers: the platform's
/// PaymentProcessed, its consume in PaymentEvents, the append to the payment's stream and its relay to the bus, the saga
/// in WritebackService and the POST of the QuickBooks Payment, then InvoiceIngest's consume of the PaymentStatusWrittenBack
/// that WritebackService relays, and the sync pass it wakes, which reads the paid invoice back from QuickBooks. The
/// invoice itself was synced before the payment existed: that sync's own trace (InvoiceIngest's read, its relay, and
/// WritebackService's record of the invoice) is asserted too.
/// </para>
/// </summary>
[TestFixture]
public sealed class When_the_three_services_run_as_separate_processes
{
    private const string Realm = "9130000000000909";
    private const string Token = "trace-token";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly string _tenant = $"tenant-{Guid.NewGuid():N}";
    private readonly Guid _connection = Guid.NewGuid();
    private Mesh? _mesh;
    private OtlpTraceReceiver? _receiver;
    private ServiceProcesses? _processes;

    private HttpClient Sandbox => _mesh!.Sandbox;

    [OneTimeSetUp]
    public async Task Start()
    {
        _mesh = await Mesh.StartSandboxAsync();
        _receiver = await OtlpTraceReceiver.StartAsync();
        (await _mesh.Sandbox.PostAsJsonAsync("/admin/qbo/companies", new { realmId = Realm, accessToken = Token })).EnsureSuccessStatusCode();
        (await _mesh.Sandbox.PostAsJsonAsync($"/admin/qbo/companies/{Realm}/seed", new { customers = 2, invoices = 3, currency = "USD", seed = 9 }))
            .EnsureSuccessStatusCode();

        var common = new Dictionary<string, string?>(_mesh.Common)
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _receiver.Endpoint.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            // Spans leave each process within 100 ms of ending instead of the default 5 s.
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        };
        var withConnection = new Dictionary<string, string?>(common);
        foreach (var (key, value) in _mesh.QuickBooksConnection(_connection, _tenant, Realm, Token, pollInterval: "00:00:01"))
        {
            withConnection[key] = value;
        }

        // Subscribers first: a queue receives only what is published after it is bound.
        _processes = new ServiceProcesses();
        await Task.WhenAll(
            _processes.StartAsync(PaymentEventsService.Name, "ReconMesh.PaymentEvents", common),
            _processes.StartAsync(WritebackServiceHost.Name, "ReconMesh.WritebackService", withConnection));
        await _processes.StartAsync(InvoiceIngestService.Name, "ReconMesh.InvoiceIngest", withConnection);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        // The processes first, whatever failed before: none may outlive the test.
        if (_processes is not null)
        {
            await _processes.DisposeAsync();
        }

        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }

        if (_mesh is not null)
        {
            await _mesh.DisposeAsync();
        }
    }

    [Test]
    public async Task Should_export_one_trace_per_payment_from_the_platforms_event_to_the_QuickBooks_write()
    {
        var invoices = await Eventually.Until(PlatformInvoicesAsync, i => i.Count == 3, "3 invoices synced to the platform");
        var invoice = invoices[0];
        using var sent = await Sandbox.PostAsJsonAsync("/platform/payments", new
        {
            tenantId = _tenant, method = "Ach", allocations = new[] { new { invoiceId = invoice.InvoiceId, amount = invoice.Balance } },
        }, Json);
        sent.EnsureSuccessStatusCode();
        await Eventually.Until(
            async () => (await Sandbox.GetFromJsonAsync<JsonElement>($"/platform/payments?tenantId={_tenant}", Json))[0].GetProperty("outcome").GetString(),
            outcome => outcome == "written-back", "the platform to hear that the payment was written back");

        // The payment's trace is the one of the POST that booked the Payment in QuickBooks; its spans arrive from three processes.
        var write = await Eventually.Until(() => Task.FromResult(_receiver!.Spans.FirstOrDefault(IsQuickBooksPaymentWrite)),
            s => s is not null, "the span of the POST of the QuickBooks Payment");
        // Spans arrive in each process's export batches: a consumer's span ends (and is exported) after the spans inside it,
        // so the wait names the outer one too.
        var paymentTrace = await Eventually.Until(() => Task.FromResult(TraceOf(write!.TraceId)),
            t => t.Any(IsPlatformEventConsumed) && t.Any(IsSagaStep) && t.Any(IsBalanceRecorded) && t.Any(IsWrittenBackHeard),
            "PaymentEvents', the saga's and InvoiceIngest's record of the balance in the payment's trace");

        var summary = Describe(paymentTrace);
        await TestContext.Out.WriteLineAsync("The payment's trace:\n" + summary);
        Assert.Multiple(() =>
        {
            Assert.That(paymentTrace.Where(IsPlatformEventConsumed).Select(s => s.ServiceName), Has.Member(PaymentEventsService.Name),
                "PaymentEvents consumes the platform's PaymentProcessed in the payment's trace:\n" + summary);
            Assert.That(paymentTrace.Where(IsSagaStep).Select(s => s.ServiceName), Has.Member(WritebackServiceHost.Name),
                "the saga in WritebackService runs in the payment's trace:\n" + summary);
            Assert.That(write!.ServiceName, Is.EqualTo(WritebackServiceHost.Name), "WritebackService POSTs the QuickBooks Payment");
            Assert.That(paymentTrace.Where(IsWrittenBackHeard).Select(s => s.ServiceName),
                Has.Member(InvoiceIngestService.Name), "InvoiceIngest hears that the payment was written back:\n" + summary);
            Assert.That(paymentTrace.Where(IsBalanceRecorded).Select(s => s.ServiceName), Has.Member(InvoiceIngestService.Name),
                "InvoiceIngest takes the balance the payment left in the payment's trace:\n" + summary);
            Assert.That(paymentTrace.Where(IsReadBack), Is.Empty,
                "InvoiceIngest does not read the invoice back: the write-back said what balance it left:\n" + summary);
            Assert.That(paymentTrace.Select(s => s.ServiceName).Distinct(),
                Is.EquivalentTo(new[] { PaymentEventsService.Name, WritebackServiceHost.Name, InvoiceIngestService.Name }), summary);
        });

        // InvoiceIngest's part: the trace of the sync pass that read the invoice from QuickBooks reaches WritebackService.
        var invoiceTrace = await Eventually.Until(() => Task.FromResult(InvoiceSyncTraces().FirstOrDefault()), t => t is not null,
            "a trace from InvoiceIngest's read of QuickBooks to WritebackService's record of the invoice");
        await TestContext.Out.WriteLineAsync("The invoice's sync trace:\n" + Describe(invoiceTrace!));
        Assert.That(invoiceTrace!.Select(s => s.TraceId), Has.None.EqualTo(write!.TraceId), "the invoice was synced before the payment existed");
    }

    /// <summary>Traces in which InvoiceIngest read the company's invoices, appended and relayed them, and WritebackService consumed them.</summary>
    private IEnumerable<List<OtlpSpan>> InvoiceSyncTraces() =>
        _receiver!.Spans.Where(s => s.ServiceName == InvoiceIngestService.Name && s.Name.StartsWith("sync ", StringComparison.Ordinal))
            .Select(s => TraceOf(s.TraceId))
            .Where(t => t.Any(s => s.ServiceName == InvoiceIngestService.Name && s.Kind == OtlpSpanKind.Client && s.Mentions($"/v3/company/{Realm}/"))
                && t.Any(s => s.ServiceName == InvoiceIngestService.Name && s.Name == "relay invoice_imported")
                && t.Any(s => s.ServiceName == WritebackServiceHost.Name && s.Kind == OtlpSpanKind.Consumer && s.Mentions("writeback.invoice-directory")));

    private static bool IsQuickBooksPaymentWrite(OtlpSpan span) =>
        span.Kind == OtlpSpanKind.Client && span.Name.StartsWith("POST", StringComparison.Ordinal) && span.Mentions($"/v3/company/{Realm}/payment");

    private static bool IsPlatformEventConsumed(OtlpSpan span) => span.Kind == OtlpSpanKind.Consumer && span.Mentions("payment-events.platform");

    /// <summary>
    /// InvoiceIngest's batch that records the balance a written-back payment left on its invoice (unless a poll read the
    /// invoice first, which this connection's short poll interval makes possible, and then records nothing).
    /// </summary>
    /// <summary>InvoiceIngest's consumer of the written-back notices, which records the balance inside it.</summary>
    private static bool IsWrittenBackHeard(OtlpSpan span) =>
        span.Kind == OtlpSpanKind.Consumer && span.Mentions("invoice-ingest.written-back");

    private static bool IsBalanceRecorded(OtlpSpan span) =>
        span.ServiceName == InvoiceIngestService.Name && span.Name == "record written-back balances";

    /// <summary>A query of the company's invoices by InvoiceIngest (a GET of /query).</summary>
    private static bool IsReadBack(OtlpSpan span) =>
        span.ServiceName == InvoiceIngestService.Name && span.Kind == OtlpSpanKind.Client && span.Mentions($"/v3/company/{Realm}/");

    private static bool IsSagaStep(OtlpSpan span) => span.Mentions("writeback.payment-reconciliation");

    private List<OtlpSpan> TraceOf(string traceId) => [.. _receiver!.Spans.Where(s => s.TraceId == traceId)];

    private static string Describe(IEnumerable<OtlpSpan> spans) =>
        string.Join('\n', spans.Select(s => $"  {s.TraceId[..8]} {s.ServiceName,-18} {s.Kind,-8} {s.Name}"));

    private async Task<List<InvoiceSynced>> PlatformInvoicesAsync() =>
        (await Sandbox.GetFromJsonAsync<List<InvoiceSynced>>($"/platform/invoices?tenantId={_tenant}", Json))!;
}
