using Microsoft.Extensions.Configuration;
using ReconMesh.Integrations.Connections;

namespace ReconMesh.UnitTests.Connections;

/// <summary>
/// A ConnectWise connection names its accounting system (<c>SecondaryConnectionId</c>) in configuration: QuickBooks
/// Online or Xero of the same tenant, which is then marked secondary (its invoices are not synced in); nothing else.
/// </summary>
public sealed class When_a_PSA_is_paired_in_configuration
{
    private static readonly Guid Psa = Guid.NewGuid();
    private static readonly Guid Books = Guid.NewGuid();

    private static Dictionary<string, string?> ConnectWise(int index, Guid id, Guid? secondary) => new()
    {
        [$"ReconMesh:Connections:{index}:Id"] = id.ToString(),
        [$"ReconMesh:Connections:{index}:TenantId"] = "acme",
        [$"ReconMesh:Connections:{index}:Kind"] = "ConnectWisePsa",
        [$"ReconMesh:Connections:{index}:BaseUrl"] = "https://api-na.myconnectwise.net/",
        [$"ReconMesh:Connections:{index}:CompanyId"] = "acme",
        [$"ReconMesh:Connections:{index}:PublicKey"] = "public",
        [$"ReconMesh:Connections:{index}:PrivateKey"] = "private",
        [$"ReconMesh:Connections:{index}:ClientId"] = "00000000-0000-4000-8000-00000000c11e",
        [$"ReconMesh:Connections:{index}:SecondaryConnectionId"] = secondary?.ToString(),
    };

    private static Dictionary<string, string?> Xero(int index, Guid id, string tenant = "acme") => new()
    {
        [$"ReconMesh:Connections:{index}:Id"] = id.ToString(),
        [$"ReconMesh:Connections:{index}:TenantId"] = tenant,
        [$"ReconMesh:Connections:{index}:Kind"] = "Xero",
        [$"ReconMesh:Connections:{index}:BaseUrl"] = "https://api.xero.com/",
        [$"ReconMesh:Connections:{index}:XeroTenantId"] = "6c2a3b8e-5d1f-4c7a-9e0b-2f4d6a8c0e1f",
        [$"ReconMesh:Connections:{index}:AccessToken"] = "token",
        [$"ReconMesh:Connections:{index}:PaymentsAccountId"] = "093",
    };

    private static (ConnectionCatalog Catalog, IReadOnlyList<string> Problems) Load(params Dictionary<string, string?>[] connections)
    {
        var settings = connections.SelectMany(c => c).ToDictionary(p => p.Key, p => p.Value);
        var catalog = ConnectionCatalog.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), out var problems);
        return (catalog, problems);
    }

    [Test]
    public void ConnectWise_is_paired_with_a_Xero_organisation_of_its_tenant_which_becomes_secondary()
    {
        var (catalog, problems) = Load(ConnectWise(0, Psa, Books), Xero(1, Books));

        Assert.That(problems, Is.Empty);
        Assert.That(catalog.Find(Books)!.IsSecondary, Is.True, "its invoices are not synced in");
        Assert.That(catalog.Find(Psa)!.IsSecondary, Is.False);
    }

    [Test]
    public void A_Xero_organisation_of_another_tenant_is_refused()
    {
        var (_, problems) = Load(ConnectWise(0, Psa, Books), Xero(1, Books, tenant: "someone-else"));

        Assert.That(problems, Has.Exactly(1).Contains("QuickBooksOnline or Xero connection of the same tenant"));
    }

    [Test]
    public void Only_a_PSA_names_a_secondary()
    {
        var xero = Xero(0, Psa);
        xero["ReconMesh:Connections:0:SecondaryConnectionId"] = Books.ToString();
        var (_, problems) = Load(xero, Xero(1, Books));

        Assert.That(problems, Has.Exactly(1).Contains("one level deep"));
    }
}
