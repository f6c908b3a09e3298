using Microsoft.Extensions.Configuration;
using ReconMesh.Contracts;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.Http;
using ReconMesh.Integrations.RateLimiting;
using ReconMesh.InvoiceIngest.Api;

namespace ReconMesh.UnitTests.Connections;

/// <summary>
/// What a request to connect an Autotask PSA database must hold (<see cref="AddConnectionRequestValidator"/>): the API
/// user, the integration code, a secret's name; optionally the zone, the invoices' currency and the share of the
/// database's hourly budget; what no other kind holds. And the defaults that go with it: the hosts it may reach, and
/// the limits it claims of the 10,000 requests an hour the database shares.
/// </summary>
public sealed class When_an_Autotask_connection_is_requested
{
    private static readonly AddConnectionRequestValidator Validator = new();

    private static AddConnectionRequest Autotask(string? user = "api@acme.test", string? code = "ACMECODE", string? zone = null, string? currency = null,
        int? share = null) =>
        new(Guid.NewGuid(), IntegrationKind.AutotaskPsa, "https://webservices.autotask.net", null, null, null, null, "acme-autotask", null, null, null, null,
            null, null, null, null, null, null, null, UserName: user, IntegrationCode: code, ZoneUrl: zone, Currency: currency, BudgetSharePercent: share);

    private static IEnumerable<string> Errors(AddConnectionRequest request) => Validator.Validate(request).Errors.Select(e => e.PropertyName).Distinct();

    [Test]
    public void Should_take_a_user_and_an_integration_code() => Assert.That(Errors(Autotask()), Is.Empty);

    [Test]
    public void Should_take_a_zone_a_currency_and_a_budget_share() =>
        Assert.That(Errors(Autotask(zone: "https://webservices15.autotask.net/ATServicesRest/", currency: "eur", share: 35)), Is.Empty);

    [TestCase(null, "ACMECODE", "UserName")]
    [TestCase(" ", "ACMECODE", "UserName")]
    [TestCase("api@acme.test", null, "IntegrationCode")]
    [TestCase("api@acme.test", "ACME\nCODE", "IntegrationCode")]
    public void Should_refuse_a_missing_or_malformed_credential(string? user, string? code, string field) =>
        Assert.That(Errors(Autotask(user, code)), Is.EqualTo(new[] { field }));

    [Test]
    public void Should_refuse_a_zone_that_is_not_an_http_address() =>
        Assert.That(Errors(Autotask(zone: "ftp://webservices15.autotask.net/")), Is.EqualTo(new[] { "ZoneUrl" }));

    [Test]
    public void Should_refuse_a_currency_ReconMesh_does_not_know() =>
        Assert.That(Errors(Autotask(currency: "XYZ")), Is.EqualTo(new[] { "Currency" }));

    [TestCase(0)]
    [TestCase(101)]
    public void Should_refuse_a_share_outside_1_to_100_percent(int share) =>
        Assert.That(Errors(Autotask(share: share)), Is.EqualTo(new[] { "BudgetSharePercent" }));

    [Test]
    public void Should_take_a_pairing_with_accounting() =>
        Assert.That(Errors(Autotask() with { SecondaryConnectionId = Guid.NewGuid() }), Is.Empty, "its payments' money goes to QuickBooks Online or Xero");

    [Test]
    public void Should_refuse_to_be_another_connection_s_secondary() =>
        Assert.That(Errors(Autotask() with { IsSecondary = true }), Is.EqualTo(new[] { "IsSecondary" }));

    [Test]
    public void Should_refuse_Autotask_settings_on_another_kind()
    {
        var xero = Autotask(zone: "https://webservices2.autotask.net/", currency: "USD", share: 10) with
        {
            Kind = IntegrationKind.Xero, BaseUrl = "https://api.xero.com", XeroTenantId = Guid.NewGuid().ToString(), PaymentsAccountId = "092",
        };

        Assert.That(Errors(xero), Is.EquivalentTo(new[] { "UserName", "IntegrationCode", "ZoneUrl", "Currency", "BudgetSharePercent" }));
    }

    [Test]
    public void Should_claim_a_fifth_of_the_databases_hourly_budget_three_at_once_unless_told_otherwise()
    {
        Assert.That(ApiLimits.AutotaskPsa(), Is.EqualTo(new ApiLimits(33, 3)), "2,000 of 10,000 an hour");
        Assert.That(ApiLimits.AutotaskPsa(50), Is.EqualTo(new ApiLimits(83, 3)));
        Assert.That(ApiLimits.AutotaskPsa().Interval * 60, Is.GreaterThanOrEqualTo(TimeSpan.FromHours(1) / 2000 * 60), "the pace stays within the share");
    }

    [TestCase("webservices.autotask.net", true)]
    [TestCase("webservices15.autotask.net", true)]
    [TestCase("WEBSERVICES2.autotask.net.", true)]
    [TestCase("ww15.autotask.net", false)]
    [TestCase("evil.webservices1.autotask.net", false)]
    [TestCase("webservices1.evil.autotask.net", false)]
    [TestCase("webservices1.autotask.net.evil.example", false)]
    public void Should_reach_autotasks_zones_and_look_up_only(string host, bool allowed)
    {
        var policy = IntegrationAddressPolicy.FromConfiguration(new ConfigurationBuilder().Build(), out _);

        Assert.That(policy.HostProblem(IntegrationKind.AutotaskPsa, host), allowed ? Is.Null : Is.Not.Null);
    }

    [Test]
    public void Should_read_a_configured_connection_and_name_each_missing_setting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ReconMesh:Connections:0:Id"] = Guid.NewGuid().ToString(),
            ["ReconMesh:Connections:0:Kind"] = "AutotaskPsa",
            ["ReconMesh:Connections:0:TenantId"] = "acme",
            ["ReconMesh:Connections:0:BaseUrl"] = "https://webservices.autotask.net",
            ["ReconMesh:Connections:0:UserName"] = "api@acme.test",
            ["ReconMesh:Connections:0:ZoneUrl"] = "https://webservices.evil.example/",
            ["ReconMesh:Connections:0:BudgetSharePercent"] = "150",
        }).Build();

        ConnectionCatalog.FromConfiguration(configuration, out var problems);

        Assert.That(problems, Has.Some.Contains(":Secret is missing").And.Some.Contains(":IntegrationCode is missing")
            .And.Some.Contains(":BudgetSharePercent must be 1 to 100").And.Some.Contains(":ZoneUrl: webservices.evil.example is not an allowed AutotaskPsa host"));
        Assert.That(problems, Has.None.Contains(":UserName"));
    }
}
