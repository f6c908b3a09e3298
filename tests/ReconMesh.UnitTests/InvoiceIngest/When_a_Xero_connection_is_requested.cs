using ReconMesh.Contracts;
using ReconMesh.InvoiceIngest.Api;

namespace ReconMesh.UnitTests.InvoiceIngest;

/// <summary>
/// What a request to connect a Xero organisation must hold (<see cref="AddConnectionRequestValidator"/>): the
/// organisation's tenant id, the clearing account payments are recorded into, and, to record deposits, the fees account;
/// it may be a ConnectWise connection's secondary, names none of its own, and holds nothing of another kind's.
/// </summary>
public sealed class When_a_Xero_connection_is_requested
{
    private static readonly AddConnectionRequestValidator Validator = new();

    private static AddConnectionRequest Xero(string? tenant = "6c2a3b8e-5d1f-4c7a-9e0b-2f4d6a8c0e1f", string? payments = "092", string? deposit = null,
        string? fees = null) =>
        new(Guid.NewGuid(), IntegrationKind.Xero, "https://api.xero.com", null, null, null, null, "acme-xero", deposit, null, fees, null, null, null, null,
            null, null, null, null, tenant, payments);

    private static IEnumerable<string> Errors(AddConnectionRequest request) => Validator.Validate(request).Errors.Select(e => e.PropertyName);

    [Test]
    public void Should_take_a_tenant_id_and_a_clearing_account() =>
        Assert.That(Errors(Xero()), Is.Empty);

    [Test]
    public void Should_take_deposits_with_their_bank_and_fees_accounts() =>
        Assert.That(Errors(Xero(deposit: "090", fees: "404")), Is.Empty);

    [TestCase(null)]
    [TestCase("not-a-guid")]
    public void Should_refuse_a_missing_or_malformed_tenant_id(string? tenant) =>
        Assert.That(Errors(Xero(tenant: tenant)), Is.EqualTo(new[] { "XeroTenantId" }));

    [Test]
    public void Should_refuse_a_connection_without_a_clearing_account() =>
        Assert.That(Errors(Xero(payments: " ")), Is.EqualTo(new[] { "PaymentsAccountId" }));

    [Test]
    public void Should_refuse_deposits_without_a_fees_account_as_it_creates_none_in_Xero() =>
        Assert.That(Errors(Xero(deposit: "090")), Is.EqualTo(new[] { "FeesAccountId" }));

    [Test]
    public void Should_take_a_Xero_organisation_as_a_ConnectWise_connections_secondary() =>
        Assert.That(Errors(Xero(deposit: "090", fees: "404") with { IsSecondary = true }), Is.Empty);

    [Test]
    public void Should_refuse_a_Xero_connection_naming_a_secondary_of_its_own() =>
        Assert.That(Errors(Xero() with { SecondaryConnectionId = Guid.NewGuid() }), Is.EqualTo(new[] { "SecondaryConnectionId" }));

    [Test]
    public void Should_refuse_a_Xero_tenant_id_on_a_QuickBooks_connection()
    {
        var quickBooks = Xero() with { Kind = IntegrationKind.QuickBooksOnline, RealmId = "9130357766900000", PaymentsAccountId = null };

        Assert.That(Errors(quickBooks), Is.EqualTo(new[] { "XeroTenantId" }));
    }
}
