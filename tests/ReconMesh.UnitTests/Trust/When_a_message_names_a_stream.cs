using ReconMesh.Contracts.Payments;
using ReconMesh.Contracts.Payouts;
using ReconMesh.EventSourcing.Identity;
using ReconMesh.WritebackService.Invoices;
using ReconMesh.WritebackService.Reconciliation;
using ReconMesh.WritebackService.Trust;

namespace ReconMesh.UnitTests.Trust;

/// <summary>
/// <see cref="MessageClaims"/>: a message is believed only when the tenant and ids it carries are those of the stream
/// or document it would touch. Each refusal case has a control that differs in the one claim under test.
/// </summary>
[TestFixture]
public sealed class When_a_message_names_a_stream
{
    private const string Tenant = "acme";
    private const string Forger = "mallory";
    private const string PaymentId = "pay_1";
    private static readonly Guid Mesh = MeshIds.Payment(Tenant, PaymentId);
    private static readonly Guid InvoiceId = Guid.NewGuid();
    private static readonly PaymentAllocation[] Allocations = [new(InvoiceId, 100.00m)];

    [Test]
    public void A_payment_message_whose_id_is_made_of_its_tenant_and_payment_is_believed() =>
        Assert.That(MessageClaims.Payment("PaymentAccepted", Mesh, Tenant, PaymentId), Is.Null);

    [TestCase(Forger, PaymentId, TestName = "another tenant")]
    [TestCase(Tenant, "pay_2", TestName = "another payment")]
    [TestCase("", PaymentId, TestName = "no tenant")]
    [TestCase(Tenant, null, TestName = "no payment id")]
    public void A_payment_message_naming_a_stream_that_is_not_its_own_is_refused(string? tenant, string? paymentId) =>
        Assert.That(MessageClaims.Payment("PaymentFailureAccepted", Mesh, tenant, paymentId), Does.StartWith("PaymentFailureAccepted"));

    [Test]
    public void A_payout_is_believed_only_under_its_own_id()
    {
        var payout = new PayoutAccepted(MeshIds.Payout(Tenant, "po_1"), "po_1", Tenant, "USD", 10m, [], DateTimeOffset.UtcNow);

        Assert.That(MessageClaims.Payout(payout), Is.Null);
        Assert.That(MessageClaims.Payout(payout with { TenantId = Forger }), Does.Contain("is not that payout's id"));
    }

    [Test]
    public void The_sagas_own_write_command_is_believed() =>
        Assert.That(MessageClaims.Write(Write(), Saga()), Is.Null);

    [Test]
    public void A_write_with_another_tenant_under_the_payments_id_is_refused() =>
        Assert.That(MessageClaims.Write(Write() with { TenantId = Forger }, Saga()), Does.Contain("is not that payment's id"));

    [Test]
    public void A_write_for_a_payment_the_mesh_never_accepted_is_refused()
    {
        var own = MeshIds.Payment(Forger, "pay_9");
        var write = Write() with { MeshPaymentId = own, TenantId = Forger, PaymentId = "pay_9" };

        Assert.That(MessageClaims.Write(write, null), Does.Contain("accepted no such payment"));
    }

    [Test]
    public void A_write_that_allocates_otherwise_than_the_accepted_payment_is_refused()
    {
        var other = Write() with { Allocations = [new PaymentAllocation(Guid.NewGuid(), 100.00m)] };

        Assert.That(MessageClaims.Write(other, Saga()), Does.Contain("other invoices or amounts"));
        Assert.That(MessageClaims.Write(Write() with { Allocations = [new PaymentAllocation(InvoiceId, 100m)] }, Saga()), Is.Null,
            "the same amount written with another scale is the same allocation");
    }

    [Test]
    public void A_refusal_names_the_tenant_whose_payment_or_invoice_it_reached_for()
    {
        Assert.That(MessageClaims.TargetTenant(Saga(), Forger), Is.EqualTo(Tenant));
        Assert.That(MessageClaims.TargetTenant(null, Forger, [Invoice(Forger), Invoice(Tenant)]), Is.EqualTo(Tenant));
        Assert.That(MessageClaims.TargetTenant(null, Forger, [Invoice(Forger)]), Is.Null);
    }

    [Test]
    public void A_write_whose_saga_is_another_tenants_is_refused()
    {
        var saga = Saga();
        saga.TenantId = Forger;

        Assert.That(MessageClaims.Write(Write(), saga), Does.Contain($"is tenant {Forger}'s"));
    }

    [Test]
    public void A_reversal_is_believed_for_the_sagas_payment_only()
    {
        var reverse = new ReversePayment(Mesh, PaymentId, Tenant);

        Assert.That(MessageClaims.Reverse(reverse, Saga()), Is.Null);
        Assert.That(MessageClaims.Reverse(reverse with { TenantId = Forger }, Saga()), Does.Contain("is not that payment's id"));
        Assert.That(MessageClaims.Reverse(reverse, null), Does.Contain("accepted no such payment"));
    }

    private static WritePaymentBack Write() => new(Mesh, PaymentId, Tenant, "USD", DateTimeOffset.UnixEpoch, Allocations);

    private static PaymentReconciliation Saga() => new()
    {
        CorrelationId = Mesh, TenantId = Tenant, PaymentId = PaymentId, Allocations = [new PaymentAllocation(InvoiceId, 100.0m)],
    };

    private static KnownInvoice Invoice(string tenant) => new() { Id = InvoiceId, TenantId = tenant };
}
