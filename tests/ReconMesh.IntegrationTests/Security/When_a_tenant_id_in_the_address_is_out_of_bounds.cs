using System.Net;
using System.Text.Json;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.ServiceDefaults.Security;

namespace ReconMesh.IntegrationTests.Security;

/// <summary>
/// Tenant ids in routes are bounded like everywhere else (1 to 64 of <c>[A-Za-z0-9._-]</c>): an administrator, who may
/// name any tenant, gets 400 for one beyond them, without the value repeated; an operator's token cannot name such a
/// tenant, so it gets the 404 every tenant outside its token gets.
/// </summary>
[TestFixture]
public sealed class When_a_tenant_id_in_the_address_is_out_of_bounds
{
    private static readonly string TooLong = new('t', 65);
    private Mesh _mesh = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _mesh = await Mesh.StartSandboxAsync();
        await _mesh.StartServicesAsync(new Dictionary<string, string?>());
    }

    [OneTimeTearDown]
    public async Task Stop() => await _mesh.DisposeAsync();

    [TestCase("invoice-ingest", "/tenants/{tenant}/connections")]
    [TestCase("invoice-ingest", "/tenants/{tenant}/invoices")]
    [TestCase("writeback", "/tenants/{tenant}/exceptions")]
    [TestCase("writeback", "/tenants/{tenant}/payments")]
    public async Task An_administrator_gets_400_naming_the_rule(string service, string path)
    {
        using var admin = TestAuth.WithToken(new HttpClient { BaseAddress = Address(service) }, TestAuth.Token([], AccessRoles.Admin));
        foreach (var tenant in new[] { TooLong, "acme%20msp", "acme%07", "%C3%A9t%C3%A9" })
        {
            using var response = await admin.GetAsync(path.Replace("{tenant}", tenant, StringComparison.Ordinal));
            var body = await response.Content.ReadAsStringAsync();

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), $"{tenant}: {body}");
            var problem = JsonSerializer.Deserialize<JsonElement>(body);
            Assert.That(problem.GetProperty("title").GetString(), Is.EqualTo("Malformed tenant id"));
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("1 to 64 characters").And.Not.Contain(TooLong[..20]));
        }

        using var valid = await admin.GetAsync(path.Replace("{tenant}", new string('t', 64), StringComparison.Ordinal));
        Assert.That(valid.StatusCode, Is.EqualTo(HttpStatusCode.OK), "64 characters are within the bounds");
    }

    [Test]
    public async Task An_operator_gets_the_404_of_any_tenant_its_token_does_not_name()
    {
        using var client = TestAuth.Operator(_mesh.InvoiceIngest.Address(), "acme-msp");
        using var response = await client.GetAsync($"/tenants/{TooLong}/connections");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    private Uri Address(string service) => service == "writeback" ? _mesh.Writeback.Address() : _mesh.InvoiceIngest.Address();
}
