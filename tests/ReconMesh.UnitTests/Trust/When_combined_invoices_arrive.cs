using ReconMesh.Contracts;
using ReconMesh.Contracts.Invoices;
using ReconMesh.EventSourcing.Identity;
using ReconMesh.Integrations.Connections;
using ReconMesh.WritebackService.Invoices;

namespace ReconMesh.UnitTests.Trust;

/// <summary>
/// An <see cref="InvoicesSynced"/> is believed whole or not at all (<see cref="InvoiceClaims"/>): within the contract's
/// bounds, every invoice of the connection and tenant it names, each the invoice it says it is.
/// </summary>
[TestFixture]
public sealed class When_combined_invoices_arrive
{
    private static readonly ConnectionSettings Connection = new() { Id = Guid.NewGuid(), TenantId = "tenant-a", Kind = IntegrationKind.QuickBooksOnline };

    [Test]
    public void Should_believe_a_message_of_its_connections_own_invoices() =>
        Assert.Multiple(() =>
        {
            var message = Of(Invoice("1"), Invoice("2"));
            Assert.That(InvoiceClaims.Malformed(message), Is.Null);
            Assert.That(InvoiceClaims.Untrusted(message, Connection), Is.Null);
        });

    [Test]
    public void Should_refuse_a_message_beyond_the_contracts_bounds() =>
        Assert.Multiple(() =>
        {
            Assert.That(InvoiceClaims.Malformed(Of()), Does.Contain("carries 1 to 100 invoices"));
            Assert.That(InvoiceClaims.Malformed(Of([.. Enumerable.Range(0, 101).Select(i => Invoice($"{i}"))])), Does.Contain("this one carries 101"));
            Assert.That(InvoiceClaims.Malformed(Of(Invoice("1", lines: 1500), Invoice("2", lines: 600))), Does.Contain("at most 2000 lines"));
            Assert.That(InvoiceClaims.Malformed(Of(Invoice("1", lines: 2500))), Is.Null, "one invoice of many lines travels alone");
        });

    [Test]
    public void Should_refuse_the_whole_message_when_one_invoice_is_anothers() =>
        Assert.Multiple(() =>
        {
            var strayTenant = Invoice("2") with { TenantId = "tenant-b" };
            Assert.That(InvoiceClaims.Malformed(Of(Invoice("1"), strayTenant)), Does.Contain($"Invoice {strayTenant.InvoiceId} does not belong"));
            var strayConnection = Invoice("3") with { ConnectionId = Guid.NewGuid() };
            Assert.That(InvoiceClaims.Malformed(Of(Invoice("1"), strayConnection)), Does.Contain("does not belong"));
            var movedId = Invoice("4") with { InvoiceId = Guid.NewGuid() };
            Assert.That(InvoiceClaims.Untrusted(Of(Invoice("1"), movedId), Connection), Does.Contain("is not the id of QuickBooksOnline invoice '4'"));
        });

    private static InvoicesSynced Of(params InvoiceSynced[] invoices) => new(Connection.TenantId, Connection.Id, invoices);

    private static InvoiceSynced Invoice(string externalId, int lines = 1) =>
        new(MeshIds.Invoice(Connection.Id, externalId), 1, Connection.TenantId, Connection.Id, IntegrationKind.QuickBooksOnline, externalId, externalId,
            "cust-1", "Customer", "USD", 10m, 10m, new DateOnly(2026, 12, 1), null,
            [.. Enumerable.Range(0, lines).Select(l => new InvoiceLine($"line {l}", 10m / lines))], DateTimeOffset.UtcNow);
}
