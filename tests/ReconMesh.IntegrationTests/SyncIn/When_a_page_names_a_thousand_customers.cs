using System.Net.Http.Json;
using Marten;
using Microsoft.AspNetCore.Builder;
using ReconMesh.Domain.Invoices;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.InvoiceIngest;
using ReconMesh.Sandbox;

namespace ReconMesh.IntegrationTests.SyncIn;

/// <summary>
/// A page of a thousand invoices of a thousand customers (an MSP's month end, or changes in time order across a company):
/// its customers are asked for in several queries by id, not one whose URL is longer than a server takes. Found by the
/// bench (issue #14): a pass read in time order stopped on QuickBooks' HTTP 414 and its connection fell behind.
/// </summary>
[TestFixture]
public sealed class When_a_page_names_a_thousand_customers
{
    private const string Realm = "9130000000000414";
    private const string Token = "many-customers-token";
    private const int Invoices = 1_000;

    [Test]
    [CancelAfter(180_000)]
    public async Task Should_take_in_every_invoice_and_billing_contact(CancellationToken cancellationToken)
    {
        await using var servers = await TestServers.StartAsync();
        await using var sandboxHost = await InProcessHost.StartAsync(b => b.AddSandbox(), a => a.MapSandbox(), new Dictionary<string, string?>());
        using var sandbox = new HttpClient { BaseAddress = sandboxHost.Address() };
        (await sandbox.PostAsJsonAsync("/admin/qbo/companies", new { realmId = Realm, accessToken = Token }, cancellationToken)).EnsureSuccessStatusCode();
        // Invoices go to the customers in turn: each of the thousand has one, all on the first page.
        (await sandbox.PostAsJsonAsync($"/admin/qbo/companies/{Realm}/seed", new { customers = Invoices, invoices = Invoices, currency = "USD", seed = 14 },
            cancellationToken)).EnsureSuccessStatusCode();
        var connection = Guid.NewGuid();
        await using var ingestHost = await InProcessHost.StartAsync(b => b.AddInvoiceIngest(), a => a.MapInvoiceIngest(), new Dictionary<string, string?>
        {
            ["ReconMesh:RabbitMq"] = servers.RabbitMqUrl,
            ["ReconMesh:Postgres"] = servers.Postgres,
            ["ReconMesh:Connections:0:Id"] = connection.ToString(),
            ["ReconMesh:Connections:0:TenantId"] = "tenant-many-customers",
            ["ReconMesh:Connections:0:Kind"] = "QuickBooksOnline",
            ["ReconMesh:Connections:0:BaseUrl"] = sandboxHost.Address().ToString(),
            ["ReconMesh:Connections:0:RealmId"] = Realm,
            ["ReconMesh:Connections:0:AccessToken"] = Token,
            ["ReconMesh:Connections:0:PollInterval"] = "01:00:00",
        });
        using var store = new IngestStore(servers.Postgres);

        var cursor = await Eventually.Until(() => store.CursorAsync(connection), c => c is { InitialSyncComplete: true }, "the initial sync");
        await using var session = store.Store.QuerySession();
        var invoices = await session.Query<InvoiceView>().CountAsync(cancellationToken);
        var contacts = await session.Query<BillingContactView>().CountAsync(cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(cursor!.InitialSyncComplete, Is.True);
            Assert.That(invoices, Is.EqualTo(Invoices));
            Assert.That(contacts, Is.EqualTo(Invoices), "every customer's billing contact, though no single query named them all");
        }
    }
}
