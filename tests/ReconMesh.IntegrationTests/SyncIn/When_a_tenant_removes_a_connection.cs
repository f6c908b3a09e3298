using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Contracts.Payments;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.IntegrationTests.Payments;
using ReconMesh.Integrations.Connections;
using ReconMesh.InvoiceIngest.Connections;
using ReconMesh.EventSourcing.Identity;
using ReconMesh.ServiceDefaults.Security;
using ReconMesh.WritebackService.Invoices;

namespace ReconMesh.IntegrationTests.SyncIn;

/// <summary>
/// A tenant removes a QuickBooks connection it added (<c>DELETE /tenants/{t}/connections/{id}</c>) while a second one of
/// its connections keeps syncing: the removed one's sync loop ends and asks nothing more of its company, WritebackService
/// hears of it on the bus and turns a payment for one of its invoices into an exception (<c>connection-removed</c>)
/// instead of writing it, and the removal is recorded (who, when: the connection's stream and its view). Another
/// tenant, a reader, or a connection from the settings cannot be removed; removing twice answers 204 and records once.
/// </summary>
[TestFixture]
[Category("Security")]
public sealed class When_a_tenant_removes_a_connection
{
    private const string Realm = "9130000000000881";
    private const string WitnessRealm = "9130000000000882";
    private const string ConfiguredRealm = "9130000000000883";
    private const string Subject = "ops@tenant.example";
    private static readonly JsonSerializerOptions Json = PaymentScenarioHarness.Json;

    private readonly string _tenant = $"tenant-{Guid.NewGuid():N}";
    private readonly string _intruder = $"tenant-{Guid.NewGuid():N}";
    private readonly Guid _removed = Guid.NewGuid();
    private readonly Guid _witness = Guid.NewGuid();
    private readonly Guid _configured = Guid.NewGuid();
    private readonly ConcurrentQueue<string> _logs = new();
    private Mesh _mesh = null!;
    private HttpClient _ingest = null!;
    private long _requestsWhenRemoved;

    [OneTimeSetUp]
    public async Task Start()
    {
        _mesh = await Mesh.StartSandboxAsync();
        foreach (var realm in new[] { Realm, WitnessRealm, ConfiguredRealm })
        {
            (await _mesh.Sandbox.PostAsJsonAsync("/admin/qbo/companies", new { realmId = realm, accessToken = $"token-{realm}" })).EnsureSuccessStatusCode();
            (await _mesh.Sandbox.PostAsJsonAsync($"/admin/qbo/companies/{realm}/seed", new { customers = 2, invoices = 4, currency = "USD", seed = 3 }))
                .EnsureSuccessStatusCode();
        }

        // One connection from the settings; the two others are added through the API, each with a secret of the tenant's.
        var settings = _mesh.QuickBooksConnection(_configured, _tenant, ConfiguredRealm, $"token-{ConfiguredRealm}", "01:00:00");
        foreach (var (secret, realm) in new[] { ("removed-books", Realm), ("witness-books", WitnessRealm) })
        {
            settings[$"ReconMesh:Secrets:{secret}:AccessToken"] = $"token-{realm}";
            settings[$"ReconMesh:Secrets:{secret}:TenantId"] = _tenant;
        }

        await _mesh.StartServicesAsync(settings, logs: _logs);
        _ingest = TestAuth.WithToken(new HttpClient { BaseAddress = _mesh.InvoiceIngest.Address() },
            TestAuth.Token(TestAuth.Request([_tenant], AccessRoles.Write) with { Subject = Subject }));
        foreach (var (id, secret, realm) in new[] { (_removed, "removed-books", Realm), (_witness, "witness-books", WitnessRealm) })
        {
            using var added = await _ingest.PostAsJsonAsync($"/tenants/{_tenant}/connections", new
            {
                id, kind = "QuickBooksOnline", baseUrl = _mesh.SandboxHost.Address().ToString(), realmId = realm, credentialsSecret = secret,
                pollInterval = "00:00:00.300",
            });
            Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.Created), await added.Content.ReadAsStringAsync());
        }

        var invoices = await Eventually.Until(() => PlatformInvoicesAsync(_removed), i => i.Count >= 4, "the platform to hear of the removed connection's invoices");
        // The scenario is invoices the mesh knew before their connection was removed. The platform hears of them from its
        // own queue; WritebackService's directory may not have yet, and once the removal is heard it takes no more of
        // that connection's invoices (a payment it cannot place would wait for an invoice never announced again).
        await Eventually.Until(async () =>
        {
            await using var session = _mesh.Writeback.Services.GetRequiredService<IDocumentStore>().QuerySession();
            return await session.LoadManyAsync<KnownInvoice>([.. invoices.Select(i => i.InvoiceId)]);
        }, known => known.Count == invoices.Count, "WritebackService to know the removed connection's invoices");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _ingest.Dispose();
        await _mesh.DisposeAsync();
    }

    [Test, Order(1)]
    public async Task Should_not_be_removed_by_another_tenant_nor_by_a_reader()
    {
        using var intruder = TestAuth.Operator(_mesh.InvoiceIngest.Address(), _intruder);
        using var reader = TestAuth.WithToken(new HttpClient { BaseAddress = _mesh.InvoiceIngest.Address() }, TestAuth.Token([_tenant], AccessRoles.Read));

        using var underTheTenantsName = await intruder.DeleteAsync($"/tenants/{_tenant}/connections/{_removed}");
        using var underItsOwnName = await intruder.DeleteAsync($"/tenants/{_intruder}/connections/{_removed}");
        using var byAReader = await reader.DeleteAsync($"/tenants/{_tenant}/connections/{_removed}");

        Assert.That(underTheTenantsName.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(underItsOwnName.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "another tenant's connection is not found under one's own name");
        Assert.That(byAReader.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await ViewAsync(_removed)).GetProperty("status").GetString(), Is.EqualTo("Active"));
    }

    [Test, Order(2)]
    public async Task Should_refuse_to_remove_a_connection_from_the_settings()
    {
        using var answer = await _ingest.DeleteAsync($"/tenants/{_tenant}/connections/{_configured}");

        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await answer.Content.ReadAsStringAsync(), Does.Contain("ReconMesh:Connections"));
        Assert.That((await ViewAsync(_configured)).GetProperty("status").GetString(), Is.EqualTo("Active"));
    }

    [Test, Order(3)]
    public async Task Should_stop_its_sync_and_record_who_removed_it_and_when()
    {
        var before = DateTimeOffset.UtcNow;
        using var answer = await _ingest.DeleteAsync($"/tenants/{_tenant}/connections/{_removed}");
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await answer.Content.ReadAsStringAsync());

        // Its loop ends (a pass already under way finishes first); from then on its company hears nothing from the mesh,
        // while the witness, polled just as often, is asked again and again.
        await Eventually.Until(() => Task.FromResult(_logs.Any(l => l.Contains($"Connection {_removed} was removed: its sync stopped", StringComparison.Ordinal))),
            stopped => stopped, "the removed connection's sync loop to end");
        _requestsWhenRemoved = await RequestCountAsync(Realm);
        var witnessBefore = await RequestCountAsync(WitnessRealm);
        await Eventually.Until(() => RequestCountAsync(WitnessRealm), n => n >= witnessBefore + 5, "the witness connection to sync five more times");
        Assert.That(await RequestCountAsync(Realm), Is.EqualTo(_requestsWhenRemoved), "the removed connection's company was asked nothing more");

        var view = await ViewAsync(_removed);
        Assert.That(view.GetProperty("status").GetString(), Is.EqualTo("Removed"));
        Assert.That(view.GetProperty("removedBy").GetString(), Is.EqualTo(Subject), "who removed it: the token's subject");
        Assert.That(view.GetProperty("removedAt").GetDateTimeOffset(), Is.GreaterThanOrEqualTo(before.AddSeconds(-1)));
        var listed = await _ingest.GetFromJsonAsync<List<JsonElement>>($"/tenants/{_tenant}/connections", Json);
        Assert.That(listed!.Single(c => c.GetProperty("id").GetGuid() == _removed).GetProperty("status").GetString(), Is.EqualTo("Removed"));
        var stream = await RemovedStreamAsync();
        Assert.That(stream.Select(e => e.Data.GetType()), Is.EqualTo(new[] { typeof(ConnectionRecorded), typeof(ConnectionRemovalRecorded) }));
        Assert.That(((ConnectionRemovalRecorded)stream[1].Data).RemovedBy, Is.EqualTo(Subject));
        foreach (var action in new[] { "pause", "resume", "reconcile" })
        {
            using var refused = await _ingest.PostAsync($"/tenants/{_tenant}/connections/{_removed}/{action}", null);
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), $"{action} of a removed connection");
        }
    }

    [Test, Order(4)]
    public async Task Should_turn_a_payment_for_its_invoices_into_an_exception_with_the_reason_and_write_nothing()
    {
        // WritebackService learns of the removal from the bus (ConnectionRemoved) and records it in its own store.
        await Eventually.Until(async () =>
        {
            await using var session = _mesh.Writeback.Services.GetRequiredService<IDocumentStore>().QuerySession();
            return await session.LoadAsync<ConnectionRegistration>(_removed);
        }, r => r?.RemovedAt is not null, "WritebackService to hear of the removal");
        var invoice = (await PlatformInvoicesAsync(_removed)).First(i => i.Balance > 0);
        var payment = new PaymentProcessed($"pay_{Guid.NewGuid():N}", _tenant, PaymentMethod.Ach, "USD", invoice.Balance, 0.80m,
            [new PaymentAllocation(invoice.InvoiceId, invoice.Balance)], DateTimeOffset.UtcNow);
        await _mesh.PlatformBus.Publish(payment);

        using var writeback = TestAuth.Operator(_mesh.Writeback.Address(), _tenant);
        var meshId = MeshIds.Payment(_tenant, payment.PaymentId);
        var settled = await Eventually.Until(async () =>
        {
            using var response = await writeback.GetAsync($"/tenants/{_tenant}/payments/{meshId}");
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : default;
        }, p => p.ValueKind == JsonValueKind.Object && p.GetProperty("state").GetString() is "Applied" or "NeedsAttention", "the payment to be decided");

        Assert.That(settled.GetProperty("state").GetString(), Is.EqualTo("NeedsAttention"));
        Assert.That(settled.GetProperty("reasonCode").GetString(), Is.EqualTo("connection-removed"));
        var queue = await writeback.GetFromJsonAsync<List<JsonElement>>($"/tenants/{_tenant}/exceptions", Json);
        Assert.That(queue!.Select(e => e.GetProperty("meshPaymentId").GetGuid()), Does.Contain(meshId));
        var books = await _mesh.Sandbox.GetFromJsonAsync<JsonElement>($"/admin/qbo/companies/{Realm}/books");
        Assert.That(PaymentScenarioHarness.LivePaymentsFor(books, invoice.ExternalId), Is.Empty, "nothing was written to the removed connection's company");
        Assert.That(books.GetProperty("requestCount").GetInt64(), Is.EqualTo(_requestsWhenRemoved), "not even a read");
    }

    [Test, Order(5)]
    public async Task Should_answer_a_repeated_removal_with_204_and_record_it_once()
    {
        using var again = await _ingest.DeleteAsync($"/tenants/{_tenant}/connections/{_removed}");
        using var ofAnother = TestAuth.Operator(_mesh.InvoiceIngest.Address(), _intruder);
        using var byTheIntruder = await ofAnother.DeleteAsync($"/tenants/{_intruder}/connections/{_removed}");

        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(byTheIntruder.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "a removed connection is still not another tenant's");
        var stream = await RemovedStreamAsync();
        Assert.That(stream, Has.Count.EqualTo(2), "one removal recorded");
    }

    [Test, Order(6)]
    public async Task Should_free_its_account_for_a_new_connection_but_keep_its_id_removed()
    {
        object Request(Guid id) => new
        {
            id, kind = "QuickBooksOnline", baseUrl = _mesh.SandboxHost.Address().ToString(), realmId = Realm, credentialsSecret = "removed-books",
            pollInterval = "01:00:00",
        };

        using var sameId = await _ingest.PostAsJsonAsync($"/tenants/{_tenant}/connections", Request(_removed));
        using var newId = await _ingest.PostAsJsonAsync($"/tenants/{_tenant}/connections", Request(Guid.NewGuid()));

        Assert.That(sameId.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await sameId.Content.ReadAsStringAsync(), Does.Contain("was removed"));
        Assert.That(newId.StatusCode, Is.EqualTo(HttpStatusCode.Created), await newId.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> ViewAsync(Guid connection) =>
        await _ingest.GetFromJsonAsync<JsonElement>($"/tenants/{_tenant}/connections/{connection}", Json);

    private async Task<IReadOnlyList<JasperFx.Events.IEvent>> RemovedStreamAsync()
    {
        await using var session = _mesh.InvoiceIngest.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.Events.FetchStreamAsync(_removed);
    }

    private async Task<long> RequestCountAsync(string realm) =>
        (await _mesh.Sandbox.GetFromJsonAsync<JsonElement>($"/admin/qbo/companies/{realm}/books")).GetProperty("requestCount").GetInt64();

    private async Task<List<InvoiceSynced>> PlatformInvoicesAsync(Guid connection) =>
        [.. (await _mesh.Sandbox.GetFromJsonAsync<List<InvoiceSynced>>($"/platform/invoices?tenantId={_tenant}", Json))!.Where(i => i.ConnectionId == connection)];
}
