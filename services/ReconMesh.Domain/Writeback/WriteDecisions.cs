using ReconMesh.Contracts;
using ReconMesh.Contracts.Payments;

namespace ReconMesh.Domain.Writeback;

/// <summary>A payment to write into the books, as its command carries it.</summary>
/// <param name="FailureReason">Set when the platform has reported the payment failed: nothing may be written any more.</param>
public sealed record PaymentToWrite(
    Guid MeshPaymentId,
    string PaymentId,
    string TenantId,
    string Currency,
    DateTimeOffset ProcessedAt,
    IReadOnlyList<PaymentAllocation> Allocations,
    decimal Surcharge,
    string? FailureReason);

/// <summary>What WritebackService knows of an invoice the payment names.</summary>
public sealed record InvoiceFacts(Guid Id, string TenantId, Guid ConnectionId, string ExternalId, string CustomerExternalId, string Number);

/// <summary>A connection as far as the rules care: whose it is, whether payments can be written to it, and its pair.</summary>
/// <param name="CanWrite">An adapter writes payments to its kind.</param>
/// <param name="CanFindByNumber">Its invoices can be looked up by number (to pair a PSA's invoice with the accounting system's).</param>
/// <param name="SecondaryConnectionId">For a PSA paired with an accounting system: that system's connection.</param>
/// <param name="IdempotentWrites">The integration answers a repeated write with the first one (QuickBooks' requestid, and
/// its adapter finding the Payment it wrote before): two copies of one command writing at once book it once.</param>
/// <param name="StatusOnly">The integration records only whether an invoice is paid, never an amount (Autotask PSA): the
/// money goes to its paired accounting connection first, and its status follows what those books then say is owed.</param>
public sealed record ConnectionFacts(Guid Id, string TenantId, IntegrationKind Kind, bool CanWrite, bool CanFindByNumber, Guid? SecondaryConnectionId,
    bool IdempotentWrites = false, bool StatusOnly = false);

/// <summary>Everything a write is decided on, loaded before deciding.</summary>
/// <param name="Invoices">The invoices the payment names that WritebackService knows, by mesh invoice id.</param>
/// <param name="Primary">The connection of those invoices (when they share one), if this deployment knows it.</param>
/// <param name="Secondary">The primary's paired accounting connection, if it has one and this deployment knows it.</param>
/// <param name="SecondaryMatches">The secondary's invoices found by number; null until looked up.</param>
/// <param name="Removed">The invoices' connection, when a tenant removed it: nothing is written to it.</param>
public sealed record WriteContext(
    IReadOnlyDictionary<Guid, InvoiceFacts> Invoices,
    ConnectionFacts? Primary,
    ConnectionFacts? Secondary,
    IReadOnlyDictionary<string, InvoiceMatch>? SecondaryMatches,
    ConnectionRemoval? Removed = null);

/// <summary>A connection a tenant removed, who removed it and when.</summary>
public sealed record ConnectionRemoval(Guid ConnectionId, string RemovedBy, DateTimeOffset RemovedAt);

/// <summary>The next step of a payment's write.</summary>
public abstract record WriteStep
{
    /// <summary>Already written, cancelled, dismissed or waiting for a person: a repeated command repeats nothing.</summary>
    public sealed record AlreadyDone : WriteStep;

    /// <summary>Decided without writing anything: append these events.</summary>
    public sealed record Record(IReadOnlyList<object> Events) : WriteStep;

    /// <summary>The paired accounting connection's invoices with these numbers must be found before deciding.</summary>
    public sealed record FindInSecondary(Guid SecondaryConnectionId, IReadOnlyList<string> Numbers) : WriteStep;

    /// <summary>Write to the primary connection, then (only if that is written) to the secondary.</summary>
    public sealed record Write(ConnectionFacts PrimaryConnection, PaymentWriteRequest Primary, ConnectionFacts? SecondaryConnection,
        PaymentWriteRequest? Secondary) : WriteStep
    {
        /// <summary>
        /// A second copy of the command must not write at the same time: one of the integrations written to has no
        /// idempotency key of its own (ConnectWise), so two copies looking before writing would both find nothing.
        /// </summary>
        public bool NeedsExclusivity => !PrimaryConnection.IdempotentWrites || SecondaryConnection is { IdempotentWrites: false };

        /// <summary>
        /// The primary records only status (<see cref="ConnectionFacts.StatusOnly"/>): its invoices are checked first, the
        /// money is written to the secondary, and the primary then marks paid the invoices the secondary says are settled
        /// (<see cref="WritebackDecider.StatusAfter"/>).
        /// </summary>
        public bool StatusFollowsBooks => PrimaryConnection.StatusOnly && SecondaryConnection is not null;
    }

    /// <summary>
    /// A payment the platform reports failed, or one already cancelled, that a copy of its write may have booked all the
    /// same (the integration's answer, or the append of what it booked, was lost): what the integration holds under the
    /// payment's marker is looked up and recorded (<see cref="WritebackDecider.RecordLook"/>) before it is cancelled.
    /// Nothing is written. Where writes take turns, the look takes its turn too, so a copy writing now finishes first.
    /// </summary>
    public sealed record LookBeforeCancel(Write Plan) : WriteStep;
}

/// <summary>One half of a reversal: what was written to one connection, to be reverted there.</summary>
public sealed record ReversalTarget(Guid ConnectionId, IReadOnlyList<string> ExternalPaymentIds, bool ToSecondary);

/// <summary>The next step of a payment's reversal.</summary>
public abstract record ReverseStep
{
    /// <summary>Nothing written, already reversed, or waiting for a person.</summary>
    public sealed record NothingToReverse : ReverseStep;

    /// <summary>Revert each target in order (a paired accounting connection first); stop at the first that needs a person.</summary>
    public sealed record Reverse(IReadOnlyList<ReversalTarget> Targets) : ReverseStep;

    /// <summary>Nothing was booked for the failed payment: record that, so the saga ends it Cancelled.</summary>
    public sealed record Record(IReadOnlyList<object> Events) : ReverseStep;

    /// <summary>
    /// Nothing is recorded as booked, but a write that needed a person may have booked all the same: look in the
    /// integrations under the payment's marker (<see cref="WritebackDecider.RecordLook"/>) and reverse what is found
    /// (<see cref="WritebackDecider.ReverseFound"/>), recording the bookings with the reversal; with nothing found,
    /// record <paramref name="IfNothingFound"/>.
    /// </summary>
    public sealed record LookFirst(IReadOnlyList<object> IfNothingFound) : ReverseStep;
}
