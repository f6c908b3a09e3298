using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using ReconMesh.EventSourcing.Identity;
using ReconMesh.ServiceDefaults.Security;

namespace ReconMesh.Demo.Chaos;

/// <summary>
/// <c>./run chaos</c>: a seeded run of payments to a QuickBooks and a ConnectWise tenant while the services are SIGKILLed
/// and restarted, the broker and the database restarted, and the simulated integrations answer with server errors,
/// timeouts after commit and bursts of 429s. When the mesh has settled (observed, with a deadline), the integrations'
/// books are compared with what the platform processed; the figures go to artifacts/chaos/summary.json. Exit 0 only
/// if nothing was lost, duplicated, booked for a wrong amount or left stuck.
/// </summary>
internal static class ChaosCommand
{
    private const string QuickBooksTenant = "chaos-quickbooks";
    private const string ConnectWiseTenant = "chaos-connectwise";
    private const string Realm = "9130000000020260";
    private const string Site = "chaossite";
    private const double PaymentsPerSecond = 20;
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan PlatformRetryFor = TimeSpan.FromMinutes(2);
    private static readonly string[] Methods = ["Ach", "Card", "Installments"];
    private static readonly JsonSerializerOptions SummaryJson = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>One tenant and its integration, as the run drives and checks it.</summary>
    private sealed record Tenant(string Kind, string Id, DemoLedger Ledger)
    {
        public ChaosBooks.Books Before { get; set; } = new([], new Dictionary<string, decimal>());
    }

    private sealed record PlannedPayment(Tenant Tenant, Guid InvoiceId, string ExternalInvoiceId, decimal Amount, string Method, string PaymentId,
        TimeSpan? ReturnAfter);

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
        var quickBooks = new Tenant("quickbooks", QuickBooksTenant, new DemoLedger());
        var connectWise = new Tenant("connectwise", ConnectWiseTenant, new DemoLedger());
        var perKind = new Dictionary<Tenant, int> { [quickBooks] = options.Payments - options.Payments / 2, [connectWise] = options.Payments / 2 };
        var invoices = perKind.ToDictionary(p => p.Key, p => p.Value - p.Value / 5); // a fifth of the invoices are paid in two parts

        var settings = await SetUpIntegrationsAsync(sandbox, options, invoices[quickBooks], invoices[connectWise], random);
        await using var mesh = new MeshProcesses(options.Root, Path.Combine(options.Artifacts, "logs"), Path.Combine(options.Artifacts, "service-pids"));
        var services = new[]
        {
            // Subscribers first, as in demo.sh: on a fresh broker a queue receives only what is published after it is bound.
            // The signed webhooks on listeners of their own (docs/security.md, "Separate doors"): the next two ports.
            new MeshProcesses.Service("payment-events", "ReconMesh.PaymentEvents", Url(options.Port + 1), WithWebhooks(new Dictionary<string, string>(), options.Port + 4)),
            new MeshProcesses.Service("writeback-service", "ReconMesh.WritebackService", Url(options.Port + 2), settings),
            new MeshProcesses.Service("invoice-ingest", "ReconMesh.InvoiceIngest", Url(options.Port), WithWebhooks(settings, options.Port + 3)),
        };
        foreach (var service in services)
        {
            await mesh.StartAsync(service);
            Console.WriteLine($"[chaos] {service.Name} ready on {service.Url}");
        }

        using var writebackHttp = new HttpClient { BaseAddress = services[1].Url, Timeout = TimeSpan.FromSeconds(15) };
        // The services inherit this machine's token settings from chaos.sh (processes.sh); the driver reads its two tenants.
        using (var key = LocalSigningKey.LoadOrCreate())
        {
            writebackHttp.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
                key.Mint("chaos", [quickBooks.Id, connectWise.Id], [AccessRoles.Read], TimeSpan.FromHours(12)));
        }

        var writeback = new WritebackClient(writebackHttp);

        var plan = await PlanPaymentsAsync(sandbox, options, random, perKind, invoices);
        quickBooks.Before = ChaosBooks.FromQuickBooks(await sandbox.BooksAsync(Realm));
        connectWise.Before = ChaosBooks.FromConnectWise(await sandbox.ConnectWiseBooksAsync(Site));
        await InjectFaultsAsync(sandbox, options.Seed);

        var payWindow = TimeSpan.FromSeconds(plan.Count / PaymentsPerSecond);
        var schedule = ChaosController.Plan(random, services.Select(s => s.Name), options.KillsEach, payWindow + TimeSpan.FromSeconds(20));
        Console.WriteLine($"[chaos] seed {options.Seed}: {plan.Count} payments over {payWindow.TotalSeconds:F0} s, " +
            $"{plan.Count(p => p.ReturnAfter is not null)} of them returned later; {schedule.Count} faults scheduled");

        var chaosClock = Stopwatch.StartNew();
        var errors = new List<string>();
        var controller = new ChaosController(mesh, Path.Combine(options.Root, "deploy", "local", "chaos-servers.sh"));
        var faults = Task.Run(() => controller.RunAsync(schedule, chaosClock, cancel.Token));
        var paying = Task.Run(() => PayAsync(sandbox, plan, payWindow, chaosClock, cancel.Token));
        IReadOnlyList<ChaosController.Done> done = [];
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
            await paying;
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            errors.Add($"the platform stopped taking payments: {ex.Message}");
            Console.WriteLine($"[chaos] ERROR {errors[^1]}");
        }

        var faultsPhase = chaosClock.Elapsed;
        var settled = await SettleAsync(writeback, [quickBooks, connectWise], options.SettleTimeout, cancel.Token);
        var settleSeconds = chaosClock.Elapsed - faultsPhase;
        if (!settled)
        {
            errors.Add($"the mesh did not settle within {options.SettleTimeout.TotalSeconds:F0} s of the last fault");
        }

        var tally = new ChaosBooks.Tally();
        ChaosBooks.Check(quickBooks.Kind, quickBooks.Id, quickBooks.Ledger, quickBooks.Before, ChaosBooks.FromQuickBooks(await sandbox.BooksAsync(Realm)),
            await writeback.ExceptionsAsync(quickBooks.Id), await writeback.StatesAsync(quickBooks.Id), tally);
        ChaosBooks.Check(connectWise.Kind, connectWise.Id, connectWise.Ledger, connectWise.Before,
            ChaosBooks.FromConnectWise(await sandbox.ConnectWiseBooksAsync(Site)),
            await writeback.ExceptionsAsync(connectWise.Id), await writeback.StatesAsync(connectWise.Id), tally);

        var kills = done.Where(d => d.Action == ChaosController.Kill).GroupBy(d => d.Target).ToDictionary(g => g.Key, g => g.Count());
        if (services.Any(s => kills.GetValueOrDefault(s.Name) < options.KillsEach) || done.Count(d => d.Action != ChaosController.Kill) < 2)
        {
            errors.Add("not every planned fault happened, so the run proves less than it should");
        }

        var summary = new Dictionary<string, object?>
        {
            ["seed"] = options.Seed,
            ["payments"] = quickBooks.Ledger.Payments.Count + connectWise.Ledger.Payments.Count,
            ["payments_quickbooks"] = quickBooks.Ledger.Payments.Count,
            ["payments_connectwise"] = connectWise.Ledger.Payments.Count,
            ["returned"] = plan.Count(p => p.ReturnAfter is not null),
            ["kills"] = kills.Values.Sum(),
            ["kills_by_process"] = kills,
            ["restarts"] = done.Count,
            ["restarts_by_process"] = done.GroupBy(d => d.Target).ToDictionary(g => g.Key, g => g.Count()),
            ["lost"] = tally.Lost,
            ["duplicated"] = tally.Duplicated,
            ["wrong_amount"] = tally.WrongAmount,
            ["stuck"] = tally.Stuck,
            ["needs_attention"] = tally.NeedsAttention,
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
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(summary, SummaryJson));

        Report(summary, tally, errors, path);
        return tally.Clean && errors.Count == 0 ? 0 : 1;
    }

    /// <summary>
    /// A QuickBooks company and a ConnectWise site in the sandbox, seeded with open invoices, and the two connections'
    /// settings (<c>ReconMesh:Connections:N:*</c>, as the demo configures them). Both integrations' own rate limits are
    /// off: the run is about faults, and at QuickBooks' 500 requests a minute 1,000 payments alone take ten minutes.
    /// </summary>
    private static async Task<Dictionary<string, string>> SetUpIntegrationsAsync(SandboxClient sandbox, ChaosOptions options, int qboInvoices,
        int cwInvoices, Random random)
    {
        var token = "chaos-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var privateKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var clientId = SeededGuid(random).ToString();
        await sandbox.CreateCompanyAsync(Realm, token, requestsPerMinute: 0, maxConcurrent: 0);
        await sandbox.SeedAsync(Realm, Math.Max(1, qboInvoices / 4), qboInvoices, options.Seed);
        await sandbox.CreateConnectWiseSiteAsync(Site, "chaos-public", privateKey, clientId, requestsPerMinute: 0);
        await sandbox.SeedConnectWiseAsync(Site, Math.Max(1, cwInvoices / 4), cwInvoices, options.Seed);
        Console.WriteLine($"[chaos] sandbox: QuickBooks company {Realm} with {qboInvoices} open invoices, ConnectWise site {Site} with {cwInvoices}");

        var sandboxUrl = options.Sandbox.ToString();
        return new Dictionary<string, string>
        {
            ["ReconMesh__Connections__0__Id"] = SeededGuid(random).ToString(),
            ["ReconMesh__Connections__0__TenantId"] = QuickBooksTenant,
            ["ReconMesh__Connections__0__Kind"] = "QuickBooksOnline",
            ["ReconMesh__Connections__0__BaseUrl"] = sandboxUrl,
            ["ReconMesh__Connections__0__RealmId"] = Realm,
            ["ReconMesh__Connections__0__AccessToken"] = token,
            ["ReconMesh__Connections__0__PollInterval"] = "00:00:01",
            ["ReconMesh__Connections__0__RequestsPerMinute"] = "0",
            ["ReconMesh__Connections__0__MaxConcurrent"] = "0",
            ["ReconMesh__Connections__1__Id"] = SeededGuid(random).ToString(),
            ["ReconMesh__Connections__1__TenantId"] = ConnectWiseTenant,
            ["ReconMesh__Connections__1__Kind"] = "ConnectWisePsa",
            ["ReconMesh__Connections__1__BaseUrl"] = sandboxUrl,
            ["ReconMesh__Connections__1__CompanyId"] = Site,
            ["ReconMesh__Connections__1__PublicKey"] = "chaos-public",
            ["ReconMesh__Connections__1__PrivateKey"] = privateKey,
            ["ReconMesh__Connections__1__ClientId"] = clientId,
            ["ReconMesh__Connections__1__PollInterval"] = "00:00:01",
            ["ReconMesh__Connections__1__RequestsPerMinute"] = "0",
            ["ReconMesh__Connections__1__MaxConcurrent"] = "0",
        };
    }

    /// <summary>
    /// Waits for the seeded invoices to reach the platform, then plans every payment: each invoice paid in full, or in
    /// two parts (40% and 60%), by a random method; about 1% of payments returned by the bank a few seconds later.
    /// The two tenants' payments are interleaved in a seeded order. Payment ids derive from the seed.
    /// </summary>
    private static async Task<List<PlannedPayment>> PlanPaymentsAsync(SandboxClient sandbox, ChaosOptions options, Random random,
        Dictionary<Tenant, int> perKind, Dictionary<Tenant, int> invoices)
    {
        var plan = new List<PlannedPayment>();
        foreach (var (tenant, payments) in perKind)
        {
            var synced = await WaitForInvoicesAsync(sandbox, tenant.Id, invoices[tenant]);
            var external = tenant.Kind == "quickbooks"
                ? (await sandbox.BooksAsync(Realm)).Invoices.ToDictionary(i => i.DocNumber, i => i.Id, StringComparer.Ordinal)
                : (await sandbox.ConnectWiseBooksAsync(Site)).Invoices.ToDictionary(i => i.InvoiceNumber,
                    i => i.Id.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal);
            var shuffled = synced.OrderBy(i => i.Number, StringComparer.Ordinal).ToArray();
            random.Shuffle(shuffled);
            var twoParts = payments - invoices[tenant];
            for (var i = 0; i < shuffled.Length; i++)
            {
                var invoice = shuffled[i];
                var first = i < twoParts ? decimal.Round(invoice.Total * 0.4m, 2, MidpointRounding.AwayFromZero) : invoice.Total;
                foreach (var amount in i < twoParts ? new[] { first, invoice.Total - first } : [first])
                {
                    var id = $"pay_chaos_{tenant.Kind[0]}{plan.Count:D6}";
                    var returned = random.NextDouble() < 0.01 ? TimeSpan.FromMilliseconds(random.Next(0, 15_000)) : (TimeSpan?)null;
                    plan.Add(new PlannedPayment(tenant, invoice.InvoiceId, external[invoice.Number], amount, Methods[random.Next(Methods.Length)], id, returned));
                }
            }
        }

        var ordered = plan.ToArray();
        random.Shuffle(ordered);
        return [.. ordered];
    }

    private static async Task<IReadOnlyList<SandboxClient.PlatformInvoice>> WaitForInvoicesAsync(SandboxClient sandbox, string tenant, int expected)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var open = (await sandbox.PlatformInvoicesAsync(tenant)).Where(i => i.Balance > 0).ToList();
            if (open.Count >= expected)
            {
                Console.WriteLine($"[chaos] {tenant}: {open.Count} invoices synced to the platform in {clock.Elapsed.TotalSeconds:F1} s");
                return open;
            }

            if (clock.Elapsed > SyncTimeout)
            {
                throw new InvalidOperationException($"only {open.Count} of {expected} invoices of {tenant} reached the platform in {SyncTimeout.TotalMinutes} min");
            }

            await Task.Delay(500);
        }
    }

    /// <summary>5% server errors, 2% timeouts after commit, and bursts of five 429s starting 1% of the time, on both integrations.</summary>
    private static async Task InjectFaultsAsync(SandboxClient sandbox, int seed)
    {
        foreach (var simulator in new[] { "quickbooks", "connectwise" })
        {
            await sandbox.SetFaultsAsync(simulator, new
            {
                errorRate = 0.05, timeoutAfterCommitRate = 0.02, throttleBurstRate = 0.01, throttleBurstLength = 5, seed = seed + simulator.Length,
            });
        }
    }

    /// <summary>
    /// The platform takes the payments at a steady pace (four at a time), each retried with the same payment id until
    /// the platform has reported it (its bus may be restarting); returned ones fail on the platform a little later.
    /// </summary>
    private static async Task PayAsync(SandboxClient sandbox, IReadOnlyList<PlannedPayment> plan, TimeSpan window, Stopwatch clock,
        CancellationToken cancellationToken)
    {
        var returns = new List<Task>();
        await Parallel.ForEachAsync(Enumerable.Range(0, plan.Count), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                var due = window * i / plan.Count - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, token); // the payment's moment in a steady pace
                }

                var payment = plan[i];
                var processed = await WithRetriesAsync($"payment {payment.PaymentId}",
                    () => sandbox.PayAsync(payment.Tenant.Id, payment.Method, [(payment.InvoiceId, payment.Amount)], payment.PaymentId), token);
                lock (payment.Tenant.Ledger)
                {
                    payment.Tenant.Ledger.Add(0, payment.ExternalInvoiceId, processed);
                    if (payment.ReturnAfter is not null)
                    {
                        payment.Tenant.Ledger.Payments[^1].Returned = true;
                    }
                }

                if (payment.ReturnAfter is { } after)
                {
                    lock (returns)
                    {
                        returns.Add(Task.Run(async () =>
                        {
                            await Task.Delay(after, token); // the bank's return arrives a while after the payment
                            await WithRetriesAsync($"return of {payment.PaymentId}", async () =>
                            {
                                await sandbox.FailAsync(payment.Tenant.Id, payment.PaymentId);
                                return true;
                            }, token);
                        }, token));
                    }
                }
            });
        await Task.WhenAll(returns);
    }

    private static async Task<T> WithRetriesAsync<T>(string what, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested
                                       && clock.Elapsed < PlatformRetryFor)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                throw new InvalidOperationException($"the platform did not take {what} in {PlatformRetryFor.TotalMinutes} min: {ex.Message}", ex);
            }
        }
    }

    /// <summary>
    /// Settled: every payment of both tenants known to the WritebackService, none of them on its way any more, and every
    /// returned payment reversed, cancelled or waiting for a person. Observed every second, up to the deadline.
    /// </summary>
    private static async Task<bool> SettleAsync(WritebackClient writeback, IReadOnlyList<Tenant> tenants, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var last = "";
        while (true)
        {
            var states = new List<string>();
            var settled = true;
            foreach (var tenant in tenants)
            {
                var now = await writeback.StatesAsync(tenant.Id);
                var returnsPending = 0;
                foreach (var returned in tenant.Ledger.Payments.Where(p => p.Returned))
                {
                    var state = (await writeback.PaymentAsync(tenant.Id, MeshIds.Payment(tenant.Id, returned.PaymentId)))?.State;
                    returnsPending += state is "Reversed" or "Cancelled" or "NeedsAttention" ? 0 : 1;
                }

                settled &= now.Payments >= tenant.Ledger.Payments.Count && now.OnTheirWay == 0 && returnsPending == 0;
                states.Add($"{tenant.Kind} {now.Payments}/{tenant.Ledger.Payments.Count} known, {now.OnTheirWay} on their way, " +
                    $"{returnsPending} returns pending ({string.Join(", ", now.States.Select(s => $"{s.Key} {s.Value}"))})");
            }

            var line = string.Join("; ", states);
            if (line != last)
            {
                Console.WriteLine($"[chaos] settling {clock.Elapsed.TotalSeconds,5:F0} s: {line}");
                last = line;
            }

            if (settled)
            {
                return true;
            }

            if (clock.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    private static void Report(Dictionary<string, object?> summary, ChaosBooks.Tally tally, List<string> errors, string path)
    {
        Console.WriteLine();
        Console.WriteLine("ReconMesh chaos report");
        foreach (var key in new[] { "seed", "payments", "returned", "kills", "restarts", "lost", "duplicated", "wrong_amount", "stuck", "needs_attention",
                     "faults_phase_seconds", "settle_seconds", "elapsed_seconds", "max_recovery_seconds" })
        {
            Console.WriteLine($"  {key,-22}{Convert.ToString(summary[key], CultureInfo.InvariantCulture),10}");
        }

        foreach (var problem in tally.Problems.Take(20))
        {
            Console.WriteLine($"  - {problem}");
        }

        foreach (var error in errors)
        {
            Console.WriteLine($"  ERROR {error}");
        }

        Console.WriteLine($"  figures in {path}");
        Console.WriteLine(tally.Clean && errors.Count == 0 ? "chaos: OK" : "chaos: FAILED");
    }

    private static Uri Url(int port) => new($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");

    private static Dictionary<string, string> WithWebhooks(IReadOnlyDictionary<string, string> settings, int port) =>
        new(settings) { ["ReconMesh__Webhooks__Urls"] = Url(port).ToString().TrimEnd('/') };

    private static Guid SeededGuid(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }
}
