using ReconMesh.Contracts;
using ReconMesh.Contracts.Payments;
using ReconMesh.WritebackService.Reconciliation;

namespace ReconMesh.UnitTests.Reconciliation;

/// <summary>The nine events the reconciliation saga hears, by the name the specs use for them.</summary>
public enum Happening
{
    /// <summary><see cref="Contracts.Payments.PaymentAccepted"/>: the mesh accepted the payment.</summary>
    PaymentAccepted,

    /// <summary><see cref="Contracts.Payments.PaymentStatusWrittenBack"/>: the write reached the integration.</summary>
    PaymentStatusWrittenBack,

    /// <summary><see cref="Contracts.Payments.WritebackFailed"/>: the write (or reversal) needs a person, or was cancelled.</summary>
    WritebackFailed,

    /// <summary><see cref="Contracts.Payments.PaymentFailureAccepted"/>: the platform reports the payment failed, was refunded or charged back.</summary>
    PaymentFailureAccepted,

    /// <summary><see cref="Contracts.Payments.PaymentStatusReverted"/>: what was written was reverted in the integration.</summary>
    PaymentStatusReverted,

    /// <summary><see cref="WritebackService.Reconciliation.ExceptionRetryRequested"/>: a person asked to try again.</summary>
    ExceptionRetryRequested,

    /// <summary><see cref="WritebackService.Reconciliation.ExceptionDismissed"/>: a person dismissed the exception.</summary>
    ExceptionDismissed,

    /// <summary><see cref="WritebackService.Reconciliation.WritebackAwaitingInvoices"/>: the write found invoices the mesh has not synced yet.</summary>
    WritebackAwaitingInvoices,

    /// <summary><see cref="WritebackService.Reconciliation.AwaitedInvoicesSynced"/>: the invoices a waiting payment names have arrived.</summary>
    AwaitedInvoicesSynced,
}

/// <summary>
/// The messages of the specs. Each happening has numbered editions with different content (external ids, reasons,
/// invoice ids), so that an event that is ignored visibly changes nothing: the givens use edition 1, the event under
/// test edition 2.
/// </summary>
public static class Happenings
{
    public const string PaymentId = "pay_spec";
    public const string TenantId = "tenant-spec";

    public static readonly Guid ConnectionId = Guid.Parse("0f3c1a5e-0000-4000-8000-000000000001");

    private static readonly DateTimeOffset At = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    public static Guid Invoice(int edition) => Guid.Parse($"1a2b3c4d-0000-4000-8000-{edition:D12}");

    public static string ExternalId(int edition) => $"ext-{edition}";

    public static string Failure(int edition) => $"failure {edition}";

    public static string Dismissal(int edition) => $"dismissal {edition}";

    public static object Make(Happening happening, Guid id, int edition = 1) => happening switch
    {
        Happening.PaymentAccepted => Accepted(id),
        Happening.PaymentStatusWrittenBack => WrittenBack(id, ExternalId(edition)),
        Happening.WritebackFailed => WritebackFailed(id, $"code-{edition}", Failure(edition)),
        Happening.PaymentFailureAccepted => PaymentFailed(id, edition == 1 ? PaymentReversalKind.Failed : PaymentReversalKind.ChargedBack),
        Happening.PaymentStatusReverted => new PaymentStatusReverted(id, PaymentId, TenantId, ConnectionId, [ExternalId(1)], At),
        Happening.ExceptionRetryRequested => new ExceptionRetryRequested(id),
        Happening.ExceptionDismissed => new ExceptionDismissed(id, Dismissal(edition)),
        Happening.WritebackAwaitingInvoices => new WritebackAwaitingInvoices(id, [Invoice(edition)]),
        Happening.AwaitedInvoicesSynced => new AwaitedInvoicesSynced(id),
        _ => throw new ArgumentOutOfRangeException(nameof(happening), happening, null),
    };

    public static WritebackFailed Refused(Guid id, int edition = 1) => (WritebackFailed)Make(Happening.WritebackFailed, id, edition);

    public static PaymentStatusReverted Reverted(Guid id) => (PaymentStatusReverted)Make(Happening.PaymentStatusReverted, id);

    public static ExceptionRetryRequested Retry(Guid id) => new(id);

    public static ExceptionDismissed Dismiss(Guid id, int edition = 1) => new(id, Dismissal(edition));

    public static WritebackAwaitingInvoices Missing(Guid id, int edition = 1) => new(id, [Invoice(edition)]);

    public static AwaitedInvoicesSynced Arrived(Guid id) => new(id);

    public static PaymentAccepted Accepted(Guid id) => new(id, PaymentId, TenantId, PaymentMethod.Ach, "USD", 100m, 0.80m,
        [new PaymentAllocation(Invoice(1), 100m)], At, At);

    public static PaymentStatusWrittenBack WrittenBack(Guid id, params string[] externalPaymentIds) => new(id, PaymentId, TenantId, ConnectionId,
        IntegrationKind.QuickBooksOnline, PaymentWritebackStatus.Paid, externalPaymentIds, [], At);

    public static WritebackFailed WritebackFailed(Guid id, string reasonCode, string reason) =>
        new(id, PaymentId, TenantId, ConnectionId, reasonCode, reason, At);

    /// <summary>What the relay makes of <see cref="Domain.Writeback.WritebackCancelled"/>: the write consumer saw the failure before writing.</summary>
    public static WritebackFailed Cancellation(Guid id) =>
        new(id, PaymentId, TenantId, null, WritebackEventMap.PaymentFailedBeforeWriteback, "nothing was written", At);

    /// <summary>
    /// What the relay makes of the attention a paired write raises when the PSA (primary) took the payment and the
    /// accounting system (secondary) did not: the PSA holds the payment.
    /// </summary>
    public static WritebackFailed WrittenToPrimaryOnly(Guid id) => new(id, PaymentId, TenantId, ConnectionId, "secondary-refused",
        "Written to ConnectWisePsa (payment cw-7) but not to QuickBooksOnline: refused", At);

    /// <summary>What the fault consumer records when the write kept failing (a timeout may have hidden a write that landed).</summary>
    public static WritebackFailed KeptFailing(Guid id) => new(id, PaymentId, TenantId, ConnectionId, "writeback-failed",
        "The write kept failing after every retry: TaskCanceledException: timeout", At);

    public static PaymentFailureAccepted PaymentFailed(Guid id, PaymentReversalKind kind = PaymentReversalKind.Failed) =>
        new(id, PaymentId, TenantId, "R01", "Insufficient funds", At, kind);
}
