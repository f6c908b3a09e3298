using Microsoft.Extensions.Configuration;
using ReconMesh.Contracts;
using ReconMesh.Integrations.Connections;

namespace ReconMesh.UnitTests.Connections;

public sealed class ConnectionCatalogTests
{
    private static ConnectionRegistration Added(Guid id) => new()
    {
        Id = id,
        TenantId = "acme",
        Kind = IntegrationKind.QuickBooksOnline,
        BaseUrl = "https://quickbooks.api.intuit.com/",
        RealmId = "9130357766900456",
        Account = ConnectionSettings.AccountOf(IntegrationKind.QuickBooksOnline, new Uri("https://quickbooks.api.intuit.com/"), "9130357766900456", null),
        CredentialsSecret = "acme-books",
        PollInterval = TimeSpan.FromSeconds(30),
        ReconcileInterval = TimeSpan.FromHours(1),
    };

    [Test]
    public void An_added_connection_uses_its_secret_as_configured_at_each_lookup()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ReconMesh:Secrets:acme-books:AccessToken"] = "first-token",
            ["ReconMesh:Secrets:acme-books:TenantId"] = "acme",
        }).Build();
        var catalog = new ConnectionCatalog([], configuration);
        var id = Guid.NewGuid();

        Assert.That(catalog.Register(Added(id)), Is.True);
        Assert.That(catalog.Find(id)!.AccessToken, Is.EqualTo("first-token"));

        configuration["ReconMesh:Secrets:acme-books:AccessToken"] = "rotated-token";
        var rotated = catalog.Find(id)!;
        Assert.That(rotated.AccessToken, Is.EqualTo("rotated-token"));
        Assert.That(rotated.CredentialsFingerprint(), Is.Not.EqualTo(Added(id).Resolve(new ConfigurationBuilder().Build()).CredentialsFingerprint()));
    }

    [Test]
    public void A_secret_serves_only_the_tenant_it_is_assigned_to()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ReconMesh:Secrets:acme-books:AccessToken"] = "acme-token",
            ["ReconMesh:Secrets:acme-books:TenantId"] = "someone-else",
        }).Build();
        var added = Added(Guid.NewGuid());

        Assert.That(added.SecretProblem(configuration), Does.Contain("not assigned to tenant acme"));
        Assert.That(added.Resolve(configuration).AccessToken, Is.Null, "another tenant's token is never handed to this connection");

        configuration["ReconMesh:Secrets:acme-books:TenantId"] = null;
        Assert.That(added.Resolve(configuration).AccessToken, Is.Null, "a secret assigned to no tenant serves none");
    }

    [Test]
    public async Task Adding_a_connection_wakes_whoever_waits_for_one_and_a_repeat_does_not()
    {
        var catalog = new ConnectionCatalog([]);
        var id = Guid.NewGuid();
        var first = catalog.WaitForChangeAsync(CancellationToken.None);
        Assert.That(first.IsCompleted, Is.False);

        Assert.That(catalog.Register(Added(id)), Is.True);
        await first;

        var second = catalog.WaitForChangeAsync(CancellationToken.None);
        Assert.That(catalog.Register(Added(id)), Is.False, "the same connection again is not news");
        Assert.That(second.IsCompleted, Is.False);
        Assert.That(catalog.All.Select(c => c.Id), Is.EqualTo(new[] { id }));
    }

    [Test]
    public async Task A_removal_wakes_whoever_waits_hides_the_connection_and_stays()
    {
        var catalog = new ConnectionCatalog([]);
        var id = Guid.NewGuid();
        catalog.Register(Added(id));
        var changed = catalog.WaitForChangeAsync(CancellationToken.None);

        Assert.That(catalog.Register(Added(id) with { RemovedAt = DateTimeOffset.UnixEpoch, RemovedBy = "ops" }), Is.True);
        await changed;

        Assert.That(catalog.Find(id), Is.Null, "nothing syncs from or writes to a removed connection");
        Assert.That(catalog.All, Is.Empty);
        Assert.That(catalog.Removed(id)?.RemovedBy, Is.EqualTo("ops"));
        Assert.That(await catalog.FindAsync(id, CancellationToken.None), Is.Null, "not looked for again in the store either");
        Assert.That(catalog.Register(Added(id)), Is.False, "a late copy of its addition does not bring it back");
        Assert.That(catalog.Find(id), Is.Null);
    }

    [Test]
    public async Task An_unknown_id_is_looked_for_in_the_store_once_a_loader_is_set()
    {
        var catalog = new ConnectionCatalog([]);
        var id = Guid.NewGuid();
        Assert.That(await catalog.FindAsync(id, CancellationToken.None), Is.Null);

        catalog.LoadMissingWith((wanted, _) => Task.FromResult(wanted == id ? Added(id) : null));

        Assert.That((await catalog.FindAsync(id, CancellationToken.None))?.TenantId, Is.EqualTo("acme"));
        Assert.That(await catalog.FindAsync(Guid.NewGuid(), CancellationToken.None), Is.Null);
        Assert.That(catalog.Find(id), Is.Not.Null, "found once, kept");
    }

    [Test]
    public void The_same_QuickBooks_company_is_one_account_whatever_the_case_of_the_host()
    {
        var a = ConnectionSettings.AccountOf(IntegrationKind.QuickBooksOnline, new Uri("https://QuickBooks.api.intuit.com/"), "1", null);
        var b = ConnectionSettings.AccountOf(IntegrationKind.QuickBooksOnline, new Uri("https://quickbooks.api.intuit.com/v3"), "1", null);
        var c = ConnectionSettings.AccountOf(IntegrationKind.QuickBooksOnline, new Uri("https://quickbooks.api.intuit.com/"), "2", null);

        Assert.That(a, Is.EqualTo(b));
        Assert.That(a, Is.Not.EqualTo(c));
    }
}
