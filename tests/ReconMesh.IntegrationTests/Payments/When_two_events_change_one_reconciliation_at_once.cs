using Marten;
using ReconMesh.Contracts;
using ReconMesh.Contracts.Payments;
using ReconMesh.EventSourcing.Identity;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.WritebackService.Reconciliation;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>
/// A payment's reconciliation on the real store, as the consumers keep it (<see cref="PaymentReconciliationStore"/>):
/// of two decisions taken on the same version, only the first is stored and the second fails (to be taken again on the
/// fresh state by the endpoint's retry); of two acceptances that both found no reconciliation, only one creates it.
/// </summary>
[TestFixture]
public sealed class When_two_events_change_one_reconciliation_at_once
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private WritebackTestStore _writeback = null!;

    [OneTimeSetUp]
    public async Task Start() => _writeback = await WritebackTestStore.StartAsync("reconciliation_race");

    [OneTimeTearDown]
    public async Task Stop() => await _writeback.DisposeAsync();

    [Test]
    public async Task The_second_decision_on_the_same_version_is_refused()
    {
        var accepted = Accepted();
        await DecideAndStoreAsync(null, accepted);
        await using var first = _writeback.Store.LightweightSession();
        await using var second = _writeback.Store.LightweightSession();
        var readByFirst = await first.LoadAsync<PaymentReconciliation>(accepted.MeshPaymentId);
        var readBySecond = await second.LoadAsync<PaymentReconciliation>(accepted.MeshPaymentId);

        Store(first, readByFirst, new PaymentStatusWrittenBack(accepted.MeshPaymentId, accepted.PaymentId, accepted.TenantId, Guid.NewGuid(),
            IntegrationKind.QuickBooksOnline, PaymentWritebackStatus.Paid, ["qb-1"], [], At));
        await first.SaveChangesAsync();
        Store(second, readBySecond, new PaymentFailureAccepted(accepted.MeshPaymentId, accepted.PaymentId, accepted.TenantId, "R01", "Insufficient funds", At));

        Assert.ThrowsAsync<JasperFx.ConcurrencyException>(() => second.SaveChangesAsync());
        await using var query = _writeback.Store.QuerySession();
        var stored = await query.LoadAsync<PaymentReconciliation>(accepted.MeshPaymentId);
        Assert.Multiple(() =>
        {
            Assert.That(stored!.CurrentState, Is.EqualTo(ReconciliationState.Applied));
            Assert.That(stored.FailureReceived, Is.False, "the losing decision must leave no trace");
        });
    }

    [Test]
    public async Task Only_one_of_two_acceptances_creates_the_reconciliation()
    {
        var accepted = Accepted();
        await DecideAndStoreAsync(null, accepted);

        Assert.That(() => DecideAndStoreAsync(null, accepted), Throws.InstanceOf<JasperFx.DocumentAlreadyExistsException>(),
            "a second insert for the same payment must fail, not overwrite");
    }

    private static PaymentAccepted Accepted()
    {
        var paymentId = $"pay_{Guid.NewGuid():N}";
        return new PaymentAccepted(MeshIds.Payment("tenant-race", paymentId), paymentId, "tenant-race", PaymentMethod.Ach, "USD", 10m, 0m,
            [new PaymentAllocation(Guid.NewGuid(), 10m)], At, At);
    }

    private static void Store(IDocumentSession session, PaymentReconciliation? current, object message)
    {
        var decision = PaymentReconciliationDecider.Decide(current, message, At);
        PaymentReconciliationStore.Save(session, current, decision.Next!);
    }

    private async Task DecideAndStoreAsync(PaymentReconciliation? current, object message)
    {
        await using var session = _writeback.Store.LightweightSession();
        Store(session, current, message);
        await session.SaveChangesAsync();
    }
}
