namespace ReconMesh.Domain.Writeback;

/// <summary>
/// What a payment's writeback stream says has been done, kept inline with every append: the write and reversal
/// consumers consult it so that a redelivered command never repeats an effect.
/// </summary>
public sealed class WritebackRecord
{
    public Guid Id { get; set; }

    public long Version { get; set; }

    public string TenantId { get; set; } = "";

    public Guid? ConnectionId { get; set; }

    public List<string> ExternalPaymentIds { get; set; } = [];

    public bool Written { get; set; }

    public bool Reversed { get; set; }

    /// <summary>Cancelled with nothing booked; a booking recorded after the cancellation (a write already under way) clears it.</summary>
    public bool Cancelled { get; set; }

    public bool Dismissed { get; set; }

    public int AttentionsRaised { get; set; }

    public int RetriesRequested { get; set; }

    /// <summary>Attention was raised and no retry has been asked for since.</summary>
    public bool AwaitingPerson => AttentionsRaised > RetriesRequested && !Dismissed;

    private static WritebackRecord Start(PaymentStatusWrittenBack e) => New(e.MeshPaymentId, r => r.On(e));

    private static WritebackRecord Start(PaymentWrittenToPrimaryOnly e) => New(e.MeshPaymentId, r => r.On(e));

    /// <summary>For a PSA paired with an accounting system: the accounting connection and its records of the payment.</summary>
    public Guid? SecondaryConnectionId { get; set; }

    public List<string> SecondaryExternalPaymentIds { get; set; } = [];

    private static WritebackRecord Start(PaymentWrittenToSecondaryOnly e) => New(e.MeshPaymentId, r => r.On(e));

    private static WritebackRecord Start(WritebackNeedsAttention e) => New(e.MeshPaymentId, r => r.On(e));

    private static WritebackRecord Start(WritebackCancelled e) => New(e.MeshPaymentId, r => r.On(e));

    private static WritebackRecord Start(WritebackAwaitingInvoices e) => New(e.MeshPaymentId, r => r.On(e));

    private static WritebackRecord Start(WritebackWaiting e) => New(e.MeshPaymentId, r => r.On(e));

    /// <summary>How often a write or reversal has waited for a transient cause to pass.</summary>
    public int TransientWaits { get; set; }

    private void On(WritebackWaiting e)
    {
        TenantId = e.TenantId;
        TransientWaits++;
    }

    private void On(PaymentWrittenToPrimaryOnly e)
    {
        TenantId = e.TenantId;
        // A copy of the write that was already under way when another copy cancelled: the money is booked after all.
        Cancelled = false;
        ConnectionId = e.ConnectionId;
        ExternalPaymentIds = [.. e.ExternalPaymentIds];
    }

    private void On(PaymentWrittenToSecondaryOnly e)
    {
        TenantId = e.TenantId;
        Cancelled = false;
        SecondaryConnectionId = e.ConnectionId;
        SecondaryExternalPaymentIds = [.. e.ExternalPaymentIds];
    }

    private void On(PaymentStatusWrittenBack e)
    {
        if (e.ToSecondary)
        {
            SecondaryConnectionId = e.ConnectionId;
            SecondaryExternalPaymentIds = [.. e.ExternalPaymentIds];
            return;
        }

        TenantId = e.TenantId;
        ConnectionId = e.ConnectionId;
        ExternalPaymentIds = [.. e.ExternalPaymentIds];
        Written = true;
        Cancelled = false;
    }

    private void On(WritebackNeedsAttention e)
    {
        TenantId = e.TenantId;
        ConnectionId ??= e.ConnectionId;
        AttentionsRaised++;
    }

    private void On(WritebackCancelled e)
    {
        TenantId = e.TenantId;
        Cancelled = true;
    }

    private void On(WritebackAwaitingInvoices e) => TenantId = e.TenantId;

    /// <summary>Invoices that put a deposited payment's amount back on its customer's account, when it could not be undone.</summary>
    public List<string> ReinstatementInvoiceIds { get; set; } = [];

    private void On(PaymentStatusReverted e)
    {
        Reversed |= !e.ToSecondary;
        ReinstatementInvoiceIds = [.. ReinstatementInvoiceIds, .. e.ReinstatementInvoiceIds ?? []];
    }

    private void On(ExceptionRetryRequested e) => RetriesRequested = AttentionsRaised;

    private void On(ExceptionDismissed e) => Dismissed = true;

    /// <summary>The record a stream's events fold into; null for a stream that has none of its events.</summary>
    public static WritebackRecord? From(IEnumerable<object> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        WritebackRecord? record = null;
        foreach (var e in events)
        {
            record = Evolve(record, record?.Id ?? Guid.Empty, e);
        }

        return record;
    }

    /// <summary>
    /// The record after <paramref name="event"/> of stream <paramref name="id"/> (Guid.Empty: the id the first event
    /// names); <see cref="Version"/> counts the events folded. Kept inline by WritebackService's projection.
    /// </summary>
    public static WritebackRecord? Evolve(WritebackRecord? record, Guid id, object @event)
    {
        if (record is null)
        {
            record = @event switch
            {
                PaymentStatusWrittenBack e => Start(e),
                PaymentWrittenToPrimaryOnly e => Start(e),
                PaymentWrittenToSecondaryOnly e => Start(e),
                WritebackNeedsAttention e => Start(e),
                WritebackCancelled e => Start(e),
                WritebackAwaitingInvoices e => Start(e),
                WritebackWaiting e => Start(e),
                _ => null,
            };
            if (record is not null && id != Guid.Empty)
            {
                record.Id = id;
            }
        }
        else
        {
            switch (@event)
            {
                case PaymentStatusWrittenBack e: record.On(e); break;
                case PaymentWrittenToPrimaryOnly e: record.On(e); break;
                case PaymentWrittenToSecondaryOnly e: record.On(e); break;
                case WritebackNeedsAttention e: record.On(e); break;
                case WritebackCancelled e: record.On(e); break;
                case WritebackAwaitingInvoices e: record.On(e); break;
                case WritebackWaiting e: record.On(e); break;
                case PaymentStatusReverted e: record.On(e); break;
                case ExceptionRetryRequested e: record.On(e); break;
                case ExceptionDismissed e: record.On(e); break;
            }
        }

        if (record is not null)
        {
            record.Version++;
        }

        return record;
    }

    private static WritebackRecord New(Guid id, Action<WritebackRecord> apply)
    {
        var record = new WritebackRecord { Id = id };
        apply(record);
        return record;
    }
}
