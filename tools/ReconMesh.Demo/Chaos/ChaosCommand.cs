using System.Diagnostics;
using System.Globalization;
using ReconMesh.ServiceDefaults.Security;

namespace ReconMesh.Demo.Chaos;

/// <summary>
/// <c>./run chaos</c>: a seeded run of payments to QuickBooks, ConnectWise (alone and paired), Xero and Autotask (paired) tenants, through the platform's three
/// doors (bus, signed webhook, plain JSON), to two replicas of each service, while the replicas are SIGKILLed
/// and restarted, the broker and the database restarted, and the simulated integrations answer with server errors,
/// timeouts after commit and bursts of 429s. When the mesh has settled (observed, with a deadline), the integrations'
/// books are compared with what the platform processed; the figures go to artifacts/chaos/summary.json. Exit 0 only
/// if nothing was lost, duplicated, booked for a wrong amount or left stuck.
/// </summary>
internal static class ChaosCommand
{
    private const double PaymentsPerSecond = 20;

    /// <summary>How much of the limited company's budget (500 a minute) another application spends while payments flow.</summary>
    private const int NeighbourRequestsPerMinute = 150;

    private static readonly string[] EvenlyPaid = ["quickbooks", "connectwise", "paired", "xero", "autotask"];

    /// <summary>A replica's ports from its first: InvoiceIngest, PaymentEvents, WritebackService, then InvoiceIngest's and PaymentEvents' webhooks.</summary>
    private const int PortsPerReplica = 5;

    public static async Task<int> RunAsync(ChaosOptions options)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        var clock = Stopwatch.StartNew();
        var random = new Random(options.Seed);
        Directory.CreateDirectory(options.Artifacts);
        using var http = new HttpClient { BaseAddress = options.Sandbox, Timeout = TimeSpan.FromSeconds(15) };
        var sandbox = new SandboxClient(http);
        // A tenth of the payments go to the tenant at QuickBooks' real limits; the rest evenly to the other five.
        var limitedPayments = options.Payments / 10;
        var perKind = new Dictionary<string, int> { ["limited"] = limitedPayments };
        foreach (var (kind, n) in EvenlyPaid.Select((k, i) => (k, i)))
        {
            perKind[kind] = (options.Payments - limitedPayments) / EvenlyPaid.Length + (n < (options.Payments - limitedPayments) % EvenlyPaid.Length ? 1 : 0);
        }

        var invoicesOf = perKind.ToDictionary(p => p.Key, p => p.Value - p.Value / 5); // a fifth of the invoices are paid in two parts
        var setup = await ChaosIntegrations.SetUpAsync(sandbox, options, invoicesOf, random);
        var tenants = setup.Tenants;
        var settings = setup.Settings;
        await using var mesh = new MeshProcesses(options.Root, Path.Combine(options.Artifacts, "logs"), Path.Combine(options.Artifacts, "service-pids"));
        // The platform signs its webhooks with this secret; every PaymentEvents replica checks them with it.
        var webhookSecret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var platformSettings = new Dictionary<string, string> { ["ReconMesh__Platform__WebhookSecret"] = webhookSecret };
        // Each replica has its own five ports (three APIs, then the signed webhooks on listeners of their own: docs/security.md,
        // "Separate doors"); all replicas share the database and the broker. Subscribers first, as in demo.sh: on a fresh
        // broker a queue receives only what is published after it is bound.
        var replicas = Enumerable.Range(0, options.Replicas).Select(r =>
        {
            var first = options.Port + r * PortsPerReplica;
            var n = r + 1;
            return new[]
            {
                new MeshProcesses.Service($"payment-events-{n}", "ReconMesh.PaymentEvents", Url(first + 1), WithWebhooks(platformSettings, first + 4)),
                new MeshProcesses.Service($"writeback-service-{n}", "ReconMesh.WritebackService", Url(first + 2), settings),
                new MeshProcesses.Service($"invoice-ingest-{n}", "ReconMesh.InvoiceIngest", Url(first), WithWebhooks(settings, first + 3)),
            };
        }).ToList();
        for (var kind = 0; kind < 3; kind++)
        {
            await Task.WhenAll(replicas.Select(async replica =>
            {
                await mesh.StartAsync(replica[kind]);
                Console.WriteLine($"[chaos] {replica[kind].Name} ready on {replica[kind].Url}");
            }));
        }

        var services = replicas.SelectMany(r => r).ToList();
        // The platform's webhooks reach the PaymentEvents replicas through a load balancer, as in production.
        await using var balancer = new ChaosLoadBalancer(options.Port + options.Replicas * PortsPerReplica,
            [.. replicas.Select(r => WebhookUrl(r[0]))]);
        await sandbox.SetPlatformWebhookAsync(new Uri(balancer.Url, "/webhooks/platform"), webhookSecret);
        Console.WriteLine($"[chaos] the platform's webhooks go to {balancer.Url}, balanced over {options.Replicas} PaymentEvents replicas");

        // The driver reads the WritebackService through a load balancer too, so that one replica down does not blind it.
        await using var writebackBalancer = new ChaosLoadBalancer(options.Port + options.Replicas * PortsPerReplica + 1, [.. replicas.Select(r => r[1].Url)]);
        using var writebackHttp = new HttpClient { BaseAddress = writebackBalancer.Url, Timeout = TimeSpan.FromSeconds(15) };
        // The services inherit this machine's token settings from chaos.sh (processes.sh); the driver reads its two tenants.
        using (var key = LocalSigningKey.LoadOrCreate())
        {
            writebackHttp.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
                key.Mint("chaos", [.. tenants.Select(t => t.Id)], [AccessRoles.Read], TimeSpan.FromHours(12)));
        }

        var writeback = new WritebackClient(writebackHttp);

        var plan = await ChaosPaymentPlan.PlanAsync(sandbox, random, tenants.ToDictionary(t => t, t => perKind[t.Kind]),
            tenants.ToDictionary(t => t, t => invoicesOf[t.Kind]));
        foreach (var tenant in tenants)
        {
            tenant.Before = await ChaosVerdict.BooksAsync(sandbox, tenant, primary: true);
            tenant.PairedBefore = tenant.Paired ? await ChaosVerdict.BooksAsync(sandbox, tenant, primary: false) : null;
        }

        await ChaosIntegrations.InjectFaultsAsync(sandbox, options.Seed);

        var payWindow = TimeSpan.FromSeconds(plan.Count / PaymentsPerSecond);
        var schedule = ChaosSchedule.Plan(random, [.. services.Select(s => s.Name)], options.KillsEach, payWindow + TimeSpan.FromSeconds(20),
            options.PostgresOutage, options.Pause);
        Console.WriteLine($"[chaos] seed {options.Seed}: {plan.Count} payments over {payWindow.TotalSeconds:F0} s, " +
            $"{plan.Count(p => p.TakenBack is not null)} of them taken back later ({string.Join(", ", TakenBack(plan).Select(k => $"{k.Value} {k.Key}"))}), " +
            $"doors {string.Join(", ", ByDoor(plan).Select(d => $"{d.Key} {d.Value}"))}; {services.Count} processes, {schedule.Count} faults scheduled");

        var chaosClock = Stopwatch.StartNew();
        var errors = new List<string>();
        var controller = new ChaosController(mesh, Path.Combine(options.Root, "deploy", "local", "chaos-servers.sh"));
        var faults = Task.Run(() => controller.RunAsync(schedule, chaosClock, cancel.Token));
        // The orchestrator's part for the whole run, settling included: a process that is stuck or gone is started again.
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancel.Token);
        var watcher = Task.Run(() => mesh.WatchAsync(watching.Token));
        var payouts = new ChaosPayouts(sandbox, plan);
        var neighbour = new ChaosNeighbour(sandbox, setup.Limited.Realm!, setup.LimitedToken, NeighbourRequestsPerMinute);
        var neighbouring = Task.Run(() => neighbour.RunAsync(payWindow, cancel.Token));
        var payingOut = Task.Run(() => payouts.RunAsync(cancel.Token));
        var paying = Task.Run(() => ChaosPayer.PayAsync(sandbox, plan, payWindow, chaosClock, payouts, cancel.Token));
        IReadOnlyList<ChaosController.Done> done = [];
        IReadOnlyDictionary<string, int> reportedAgain = new Dictionary<string, int>();
        try
        {
            done = await faults;
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            errors.Add($"the fault schedule stopped: {ex.Message}");
            Console.WriteLine($"[chaos] ERROR {errors[^1]}");
        }

        try
        {
            reportedAgain = await paying;
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            errors.Add($"the platform stopped taking payments: {ex.Message}");
            Console.WriteLine($"[chaos] ERROR {errors[^1]}");
        }

        try
        {
            await Task.WhenAll(payingOut, neighbouring);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            errors.Add($"the platform stopped paying out: {ex.Message}");
        }

        errors.AddRange(payouts.Errors);
        var faultsPhase = chaosClock.Elapsed;
        var settled = await ChaosSettling.SettleAsync(writeback, sandbox, tenants, options.SettleTimeout, cancel.Token);
        var settleSeconds = chaosClock.Elapsed - faultsPhase;
        if (!settled)
        {
            errors.Add($"the mesh did not settle within {options.SettleTimeout.TotalSeconds:F0} s of the last fault");
        }

        var verdict = await ChaosVerdict.CheckAllAsync(sandbox, writeback, tenants);
        await watching.CancelAsync();
        try
        {
            await watcher;
        }
        catch (OperationCanceledException)
        {
            // stopped here, as intended
        }
        catch (InvalidOperationException ex)
        {
            errors.Add($"a service the watcher started again was never ready: {ex.Message}");
        }

        var (tally, paidOut) = (verdict.Run, verdict.Payouts);

        var kills = done.Where(d => d.Action == ChaosSchedule.Kill).GroupBy(d => d.Target).ToDictionary(g => g.Key, g => g.Count());
        if (done.Count < schedule.Count)
        {
            errors.Add("not every planned fault happened, so the run proves less than it should");
        }

        var summary = new Dictionary<string, object?>
        {
            ["seed"] = options.Seed,
            ["payments"] = tenants.Sum(t => t.Ledger.Payments.Count),
            ["payments_quickbooks"] = tenants.Where(t => t is { ConnectWise: false, Xero: null, Autotask: null }).Sum(t => t.Ledger.Payments.Count),
            ["payments_connectwise"] = tenants.Where(t => t.ConnectWise).Sum(t => t.Ledger.Payments.Count),
            ["payments_xero"] = tenants.Where(t => t.Xero is not null).Sum(t => t.Ledger.Payments.Count),
            ["payments_autotask"] = tenants.Where(t => t.Autotask is not null).Sum(t => t.Ledger.Payments.Count),
            ["payments_by_tenant"] = tenants.ToDictionary(t => t.Kind, t => t.Ledger.Payments.Count),
            ["returned"] = plan.Count(p => p.TakenBack?.Kind == ChaosPaymentPlan.Returned),
            ["returned_after_payout"] = plan.Count(p => p.TakenBack is { Kind: ChaosPaymentPlan.Returned, AfterPayout: true }),
            ["taken_back_by_kind"] = TakenBack(plan),
            ["taken_back_after_payout"] = payouts.ReversedAfterPayout,
            ["payouts"] = paidOut.Count,
            ["payouts_by_tenant"] = payouts.PayoutsByTenant,
            ["deposits_recorded"] = paidOut.Count(p => p.Outcome == "deposited"),
            ["paired_tenants"] = tenants.Count(t => t.Paired),
            ["real_limits_tenant"] = new { tenant = setup.Limited.Id, requestsPerMinute = 500, maxConcurrent = 10, payments = setup.Limited.Ledger.Payments.Count },
            ["neighbour"] = neighbour.Summary,
            ["payments_by_door"] = ByDoor(plan),
            ["reported_again_by_door"] = reportedAgain,
            ["replicas"] = options.Replicas,
            ["kills"] = kills.Values.Sum(),
            ["kills_by_process"] = kills,
            ["restarts"] = done.Count,
            ["restarts_by_process"] = done.GroupBy(d => d.Target).ToDictionary(g => g.Key, g => g.Count()),
            ["orchestrator_restarts"] = mesh.OrchestratorRestarts.Values.Sum(),
            ["orchestrator_restarts_by_process"] = mesh.OrchestratorRestarts,
            ["lost"] = tally.Lost,
            ["duplicated"] = tally.Duplicated,
            ["wrong_amount"] = tally.WrongAmount,
            ["deposits_wrong"] = tally.DepositsWrong,
            ["stuck"] = tally.Stuck,
            ["needs_attention"] = tally.NeedsAttention,
            ["transient_exceptions"] = tally.TransientExceptions,
            ["by_tenant"] = ChaosVerdict.Figures(verdict),
            ["faults_by_action"] = done.GroupBy(d => d.Action).ToDictionary(g => g.Key, g => g.Count()),
            ["rabbitmq_nodes"] = ChaosSchedule.RabbitMqNodes,
            ["postgres_outage_seconds"] = options.PostgresOutage.TotalSeconds,
            ["pause_seconds"] = options.Pause.TotalSeconds,
            ["overlapping_faults"] = ChaosController.Overlapping(done),
            ["settled"] = settled,
            ["errors"] = errors,
            ["faults_phase_seconds"] = Math.Round(faultsPhase.TotalSeconds, 1),
            ["settle_seconds"] = Math.Round(settleSeconds.TotalSeconds, 1),
            ["elapsed_seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
            ["max_recovery_seconds"] = done.Count == 0 ? 0 : done.Max(d => d.RecoverySeconds),
            ["integration_faults"] = await sandbox.FaultsAsync(),
            ["timeline"] = done,
            ["problems"] = tally.Problems.Take(200).ToList(),
        };
        var path = Path.Combine(options.Artifacts, "summary.json");
        await ChaosReport.SaveAsync(path, summary);

        ChaosReport.Print(summary, verdict, errors, path);
        return tally.Clean && errors.Count == 0 ? 0 : 1;
    }

    private static Dictionary<string, int> ByDoor(IReadOnlyList<ChaosPaymentPlan.Payment> plan) =>
        ChaosPaymentPlan.Doors.ToDictionary(d => d, d => plan.Count(p => p.Door == d));

    private static Dictionary<string, int> TakenBack(IReadOnlyList<ChaosPaymentPlan.Payment> plan) =>
        plan.Where(p => p.TakenBack is not null).GroupBy(p => p.TakenBack!.Kind).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count());

    private static Uri WebhookUrl(MeshProcesses.Service service) => new(service.Settings["ReconMesh__Webhooks__Urls"]);

    private static Uri Url(int port) => new($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");

    private static Dictionary<string, string> WithWebhooks(IReadOnlyDictionary<string, string> settings, int port) =>
        new(settings) { ["ReconMesh__Webhooks__Urls"] = Url(port).ToString().TrimEnd('/') };
}
