namespace ReconMesh.WritebackService.Reconciliation;

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

    public bool Cancelled { get; set; }

    public bool Dismissed { get; set; }

    public int AttentionsRaised { get; set; }

    public int RetriesRequested { get; set; }

    /// <summary>Attention was raised and no retry has been asked for since.</summary>
    public bool AwaitingPerson => AttentionsRaised > RetriesRequested && !Dismissed;

    public static WritebackRecord Create(PaymentWrittenBack e) => New(e.MeshPaymentId, r => r.Apply(e));

    public static WritebackRecord Create(PaymentWrittenToPrimaryOnly e) => New(e.MeshPaymentId, r => r.Apply(e));

    /// <summary>For a PSA paired with an accounting system: the accounting connection and its records of the payment.</summary>
    public Guid? SecondaryConnectionId { get; set; }

    public List<string> SecondaryExternalPaymentIds { get; set; } = [];

    public static WritebackRecord Create(WritebackNeedsAttention e) => New(e.MeshPaymentId, r => r.Apply(e));

    public static WritebackRecord Create(WritebackCancelled e) => New(e.MeshPaymentId, r => r.Apply(e));

    public static WritebackRecord Create(WritebackAwaitingInvoices e) => New(e.MeshPaymentId, r => r.Apply(e));

    public void Apply(PaymentWrittenToPrimaryOnly e)
    {
        TenantId = e.TenantId;
        ConnectionId = e.ConnectionId;
        ExternalPaymentIds = [.. e.ExternalPaymentIds];
    }

    public void Apply(PaymentWrittenBack e)
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
    }

    public void Apply(WritebackNeedsAttention e)
    {
        TenantId = e.TenantId;
        ConnectionId ??= e.ConnectionId;
        AttentionsRaised++;
    }

    public void Apply(WritebackCancelled e)
    {
        TenantId = e.TenantId;
        Cancelled = true;
    }

    public void Apply(WritebackAwaitingInvoices e) => TenantId = e.TenantId;

    /// <summary>Invoices that put a deposited payment's amount back on its customer's account, when it could not be undone.</summary>
    public List<string> ReinstatementInvoiceIds { get; set; } = [];

    public void Apply(PaymentReversedInIntegration e)
    {
        Reversed |= !e.ToSecondary;
        ReinstatementInvoiceIds = [.. ReinstatementInvoiceIds, .. e.ReinstatementInvoiceIds ?? []];
    }

    public void Apply(ExceptionRetryRequested e) => RetriesRequested = AttentionsRaised;

    public void Apply(ExceptionDismissed e) => Dismissed = true;

    private static WritebackRecord New(Guid id, Action<WritebackRecord> apply)
    {
        var record = new WritebackRecord { Id = id };
        apply(record);
        return record;
    }
}
