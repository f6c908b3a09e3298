namespace ReconMesh.Domain.Invoices;

/// <summary>
/// The rules of an invoice's stream and a customer's contact stream: what a read from the integration adds to what the
/// stream already says. An unchanged invoice appends nothing, so a sync pass that reads the same invoices again costs
/// the store nothing and tells the mesh nothing.
/// </summary>
public static class InvoiceDecider
{
    /// <summary>What reading <paramref name="read"/> from the integration records in the invoice's stream.</summary>
    /// <param name="state">The stream's latest state; null when the mesh has never held the invoice.</param>
    /// <param name="read">The invoice as the integration answered.</param>
    /// <param name="onlyOpenWhenNew">
    /// Take a new invoice in only while it is open: a read that overlaps the connection's start would otherwise import
    /// invoices settled before (nothing to collect).
    /// </param>
    /// <param name="now">When it was read.</param>
    public static IReadOnlyList<object> DecideRead(InvoiceView? state, InvoiceSnapshot read, bool onlyOpenWhenNew, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (state is null)
        {
            return onlyOpenWhenNew && read.Balance <= 0m ? [] : [new InvoiceImported(read, now)];
        }

        return state.Invoice.SameAs(read) ? [] : [new InvoiceChangedInIntegration(read, Differences(state.Invoice, read), now)];
    }

    /// <summary>
    /// What a payment the mesh wrote to the integration tells the invoice's stream, without reading the invoice again:
    /// the balance the write left, recorded when it follows from the balance the stream holds (held − applied = after).
    /// Anything else (the stream has not seen an earlier change yet, or a person changed the invoice meanwhile) is
    /// left to a read of the integration, which <see cref="WrittenBackDecision.ReadToConfirm"/> asks for.
    /// </summary>
    public static WrittenBackDecision DecideWrittenBack(InvoiceView? state, decimal amountApplied, decimal balanceAfter, Guid meshPaymentId,
        DateTimeOffset now)
    {
        if (state is null or { Archived: true } || state.Invoice.Balance == balanceAfter)
        {
            return WrittenBackDecision.Nothing;
        }

        if (amountApplied <= 0m || balanceAfter < 0m || state.Invoice.Balance - amountApplied != balanceAfter)
        {
            return new WrittenBackDecision([], ReadToConfirm: true);
        }

        var after = state.Invoice with { Balance = balanceAfter };
        return new WrittenBackDecision(
            [new InvoiceChangedInIntegration(after, [$"balance {state.Invoice.Balance} -> {balanceAfter} (payment {meshPaymentId} written back)"], now)],
            ReadToConfirm: false);
    }

    /// <summary>An invoice the integration reports deleted: archived once, with the reason.</summary>
    public static IReadOnlyList<object> DecideArchive(InvoiceView? state, string reason, DateTimeOffset now) =>
        state is null or { Archived: true }
            ? []
            : [new InvoiceArchivedInIntegration(state.Id, state.Invoice.TenantId, state.Invoice.ConnectionId, state.Invoice.ExternalId, reason, now)];

    /// <summary>A customer's billing contact, recorded when first read and whenever it changes.</summary>
    public static IReadOnlyList<object> DecideContact(BillingContactView? state, BillingContactRecorded read) =>
        state is not null && state.SameAs(read) ? [] : [read];

    /// <summary>What changed between two reads of an invoice, in words for its history.</summary>
    public static IReadOnlyList<string> Differences(InvoiceSnapshot before, InvoiceSnapshot after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var changes = new List<string>();
        if (before.Balance != after.Balance) changes.Add($"balance {before.Balance} -> {after.Balance}");
        if (before.Total != after.Total) changes.Add($"total {before.Total} -> {after.Total}");
        if (before.DueDate != after.DueDate) changes.Add($"due date {before.DueDate} -> {after.DueDate}");
        if (before.Number != after.Number) changes.Add($"number {before.Number} -> {after.Number}");
        if (before.CustomerExternalId != after.CustomerExternalId) changes.Add("customer");
        if (!before.Lines.SequenceEqual(after.Lines)) changes.Add("lines");
        if (changes.Count == 0) changes.Add("details");
        return changes;
    }
}

/// <summary>What a written-back payment records in an invoice's stream, and whether the integration must be read to know more.</summary>
public sealed record WrittenBackDecision(IReadOnlyList<object> Events, bool ReadToConfirm)
{
    public static readonly WrittenBackDecision Nothing = new([], false);
}
