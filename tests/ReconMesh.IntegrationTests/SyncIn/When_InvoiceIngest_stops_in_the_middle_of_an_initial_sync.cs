using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Builder;
using ReconMesh.Domain.Invoices;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.InvoiceIngest.Invoices;
using ReconMesh.InvoiceIngest.Sync;
using ReconMesh.InvoiceIngest;
using ReconMesh.Sandbox;
using static ReconMesh.IntegrationTests.Payments.ConnectWiseSandbox;

namespace ReconMesh.IntegrationTests.SyncIn;

/// <summary>
/// A connection's InvoiceIngest host goes away while its initial sync is part-way through several pages (after the
/// cursor of at least one page was saved, with the next page's request in flight), and a new host takes over: every
/// open invoice ends up held exactly once, and no invoice or contact stream gets a second event.
/// </summary>
[TestFixture]
public sealed class When_InvoiceIngest_stops_in_the_middle_of_an_initial_sync
{
    /// <summary>Four pages of 1,000.</summary>
    private const int SeededInvoices = 3_500;

    /// <summary>Slow enough that the test sees a page saved before the last one is read; cleared for the new host.</summary>
    private const int LatencyMs = 300;

    private const string Realm = "9130000000004242";
    private const string Token = "resume-token";

    [Test]
    public async Task Should_resume_a_QuickBooks_sync_without_duplicates()
    {
        await using var run = await Run.StartAsync();
        (await run.Sandbox.PostAsJsonAsync("/admin/qbo/companies", new { realmId = Realm, accessToken = Token })).EnsureSuccessStatusCode();
        for (var seeded = 0; seeded < SeededInvoices; seeded += 1_000)
        {
            (await run.Sandbox.PostAsJsonAsync($"/admin/qbo/companies/{Realm}/seed",
                new { customers = 40, invoices = Math.Min(1_000, SeededInvoices - seeded), currency = "USD", seed = 7 + seeded })).EnsureSuccessStatusCode();
        }

        var connection = QuickBooksConnection(run, pollInterval: "01:00:00");

        await run.StopMidwayAndResumeAsync("quickbooks", connection);

        await run.AssertEachInvoiceOnceAsync(SeededInvoices);
    }

    /// <summary>
    /// QuickBooks pages by position: an invoice deleted before the position being read moves every later one a place
    /// forward, so without care the first invoice of the next page is never read. Here one is deleted while the host
    /// is away between pages; the sync must still end holding every open invoice, and archive the deleted one.
    /// </summary>
    [Test]
    public async Task Should_not_skip_an_invoice_when_one_before_its_page_is_deleted_meanwhile()
    {
        const int seeded = 2_500;
        await using var run = await Run.StartAsync();
        (await run.Sandbox.PostAsJsonAsync("/admin/qbo/companies", new { realmId = Realm, accessToken = Token })).EnsureSuccessStatusCode();
        for (var done = 0; done < seeded; done += 1_000)
        {
            (await run.Sandbox.PostAsJsonAsync($"/admin/qbo/companies/{Realm}/seed",
                new { customers = 40, invoices = Math.Min(1_000, seeded - done), currency = "USD", seed = 11 + done })).EnsureSuccessStatusCode();
        }

        using var quickBooks = new HttpClient { BaseAddress = new Uri(run.SandboxHost.Address(), $"/v3/company/{Realm}/") };
        quickBooks.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        // Change data capture answers at most 1,000 objects, and the 2,500 seeded invoices all changed since the sync
        // began: the deletion is found by the reconciliation (a check by id of every invoice held open).
        var connection = QuickBooksConnection(run, pollInterval: "00:00:01");
        connection["ReconMesh:Connections:0:ReconcileInterval"] = "00:00:02";

        string? deleted = null;
        await run.StopMidwayAndResumeAsync("quickbooks", connection, async () =>
        {
            // The first invoice in the sync's order, read on the first page, is deleted by a person.
            var first = (await quickBooks.GetFromJsonAsync<JsonElement>("query?query=" + Uri.EscapeDataString("select * from Invoice orderby Id startposition 1 maxresults 1")))
                .GetProperty("QueryResponse").GetProperty("Invoice")[0];
            deleted = first.GetProperty("Id").GetString();
            (await quickBooks.PostAsJsonAsync("invoice?operation=delete", new { Id = deleted, SyncToken = first.GetProperty("SyncToken").GetString() }, new JsonSerializerOptions()))
                .EnsureSuccessStatusCode();
        });

        var openInQuickBooks = await Run.OpenInQuickBooksAsync(quickBooks);
        Assert.That(openInQuickBooks, Has.Count.EqualTo(seeded - 1).And.No.Member(deleted));
        var held = await Eventually.Until(run.HeldOpenAsync, h => !h.Contains(deleted!), "the deleted invoice to be archived");
        Assert.That(held, Is.EquivalentTo(openInQuickBooks), "every open invoice held once, none skipped");
    }

    [Test]
    public async Task Should_resume_a_ConnectWise_sync_without_duplicates()
    {
        await using var run = await Run.StartAsync();
        (await run.Sandbox.PostAsJsonAsync($"/admin/cw/sites/{CompanyId}/seed", new { companies = 60, invoices = SeededInvoices, currency = "USD", seed = 7 }))
            .EnsureSuccessStatusCode();

        await run.StopMidwayAndResumeAsync("connectwise", Connection(run.Connection, run.Tenant, run.SandboxHost.Address(), "01:00:00"));

        await run.AssertEachInvoiceOnceAsync(SeededInvoices);
    }

    private static Dictionary<string, string?> QuickBooksConnection(Run run, string pollInterval) => new()
    {
        ["ReconMesh:Connections:0:Id"] = run.Connection.ToString(),
        ["ReconMesh:Connections:0:TenantId"] = run.Tenant,
        ["ReconMesh:Connections:0:Kind"] = "QuickBooksOnline",
        ["ReconMesh:Connections:0:BaseUrl"] = run.SandboxHost.Address().ToString(),
        ["ReconMesh:Connections:0:RealmId"] = Realm,
        ["ReconMesh:Connections:0:AccessToken"] = Token,
        ["ReconMesh:Connections:0:PollInterval"] = pollInterval,
    };

    /// <summary>One test's servers, sandbox and event store; the InvoiceIngest hosts come and go.</summary>
    private sealed class Run : IAsyncDisposable
    {
        private IngestStore _store = null!;

        private Run(TestServers servers, WebApplication sandboxHost)
        {
            Servers = servers;
            SandboxHost = sandboxHost;
            Sandbox = new HttpClient { BaseAddress = sandboxHost.Address() };
        }

        public string Tenant { get; } = $"tenant-{Guid.NewGuid():N}";

        public Guid Connection { get; } = Guid.NewGuid();

        public TestServers Servers { get; }

        public WebApplication SandboxHost { get; }

        public HttpClient Sandbox { get; }

        public WebApplication? Ingest { get; private set; }

        public static async Task<Run> StartAsync()
        {
            var servers = await TestServers.StartAsync();
            var sandbox = await InProcessHost.StartAsync(b => b.AddSandbox(), a => a.MapSandbox(), new Dictionary<string, string?>());
            var run = new Run(servers, sandbox);
            run._store = new IngestStore(servers.Postgres);
            return run;
        }

        /// <summary>
        /// Starts a host with the integration slowed down, stops it as soon as the cursor shows a saved page of an
        /// unfinished initial sync, then starts a new host at full speed and lets it finish.
        /// </summary>
        public async Task StopMidwayAndResumeAsync(string simulator, IReadOnlyDictionary<string, string?> connection, Func<Task>? meanwhile = null)
        {
            (await Sandbox.PutAsJsonAsync($"/admin/faults/{simulator}", new { latencyMs = LatencyMs })).EnsureSuccessStatusCode();
            var settings = new Dictionary<string, string?>(connection)
            {
                ["ReconMesh:RabbitMq"] = Servers.RabbitMqUrl,
                ["ReconMesh:Postgres"] = Servers.Postgres,
            };

            Ingest = await InProcessHost.StartAsync(b => b.AddInvoiceIngest(), a => a.MapInvoiceIngest(), settings);
            var midway = await Eventually.Until(CursorAsync, c => c is { InitialSyncComplete: false, NextPosition: > 1 }, "a page of the initial sync to be saved");

            // No grace: the host's services are torn down with the next page's request in flight, as in a crash.
            await Ingest.StopAsync(new CancellationToken(canceled: true));
            await Ingest.DisposeAsync();
            Ingest = null;

            var stoppedAt = await CursorAsync();
            Assert.That(stoppedAt!.InitialSyncComplete, Is.False, "the host must stop before the initial sync ends");
            Assert.That(await ImportedAsync(), Is.LessThan(SeededInvoices), "the host must stop with invoices still to read");
            TestContext.Progress.WriteLine($"stopped with the cursor at {stoppedAt.NextPosition} (first seen at {midway!.NextPosition})");

            (await Sandbox.DeleteAsync($"/admin/faults/{simulator}")).EnsureSuccessStatusCode();
            if (meanwhile is not null)
            {
                await meanwhile();
            }

            Ingest = await InProcessHost.StartAsync(b => b.AddInvoiceIngest(), a => a.MapInvoiceIngest(), settings);
            await Eventually.Until(CursorAsync, c => c is { InitialSyncComplete: true }, "the new host to finish the initial sync", TimeSpan.FromMinutes(3));
        }

        /// <summary>The external ids of the open invoices InvoiceIngest holds.</summary>
        public async Task<List<string>> HeldOpenAsync()
        {
            using var ingest = TestAuth.Operator(Ingest!.Address(), Tenant);
            var held = new List<string>();
            for (var page = 1; ; page++)
            {
                var rows = (await ingest.GetFromJsonAsync<List<JsonElement>>($"/tenants/{Tenant}/invoices?open=true&pageSize=1000&page={page}"))!;
                held.AddRange(rows.Select(r => r.GetProperty("externalId").GetString()!));
                if (rows.Count < 1000)
                {
                    return held;
                }
            }
        }

        /// <summary>The ids of the invoices QuickBooks itself says are open.</summary>
        public static async Task<List<string>> OpenInQuickBooksAsync(HttpClient quickBooks)
        {
            var open = new List<string>();
            for (var position = 1; ; position += 1_000)
            {
                var response = (await quickBooks.GetFromJsonAsync<JsonElement>("query?query=" +
                    Uri.EscapeDataString($"select * from Invoice where Balance > '0' orderby Id startposition {position} maxresults 1000"))).GetProperty("QueryResponse");
                var rows = response.TryGetProperty("Invoice", out var invoices) ? invoices.EnumerateArray().ToList() : [];
                open.AddRange(rows.Select(r => r.GetProperty("Id").GetString()!));
                if (rows.Count < 1_000)
                {
                    return open;
                }
            }
        }

        public async Task AssertEachInvoiceOnceAsync(int expected)
        {
            var held = await HeldOpenAsync();

            await using var session = _store.Store.QuerySession();
            // A host stopped during a page's transaction leaves Marten's tombstones (placeholders for the sequence numbers
            // the rolled-back transaction had taken, in Marten's own stream): not a stream of the mesh. Since the next page
            // is read while a page is saved, the stop can land there as well as on a read.
            var events = (await session.Events.QueryAllRawEvents().Select(e => new { e.StreamId, e.EventTypeName }).ToListAsync())
                .Where(e => e.EventTypeName != "tombstone").ToList();
            var perStream = events.GroupBy(e => e.StreamId).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.EventTypeName))}").ToList();

            Assert.Multiple(() =>
            {
                Assert.That(held, Has.Count.EqualTo(expected), "open invoices held");
                Assert.That(held, Is.Unique, "each invoice held once");
                Assert.That(events.Count(e => e.EventTypeName == "invoice_imported"), Is.EqualTo(expected), "InvoiceImported events");
                Assert.That(perStream, Is.Empty, "streams with more than one event (nothing changed in the integration)");
            });
        }

        private Task<SyncCursor?> CursorAsync() => _store.CursorAsync(Connection);

        private async Task<int> ImportedAsync()
        {
            await using var session = _store.Store.QuerySession();
            return await session.Query<InvoiceView>().CountAsync();
        }

        public async ValueTask DisposeAsync()
        {
            if (Ingest is not null)
            {
                await Ingest.StopAsync();
                await Ingest.DisposeAsync();
            }

            _store.Dispose();
            await SandboxHost.StopAsync();
            await SandboxHost.DisposeAsync();
            Sandbox.Dispose();
            await Servers.DisposeAsync();
        }
    }
}
