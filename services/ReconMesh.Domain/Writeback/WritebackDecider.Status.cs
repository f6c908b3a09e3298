using ReconMesh.Contracts.Payments;

namespace ReconMesh.Domain.Writeback;

/// <summary>
/// A status-only PSA (Autotask) paired with its books (<see cref="WriteStep.Write.StatusFollowsBooks"/>): the PSA holds
/// no amounts, so the money is booked in the accounting connection and the PSA's paid mark follows what the books then
/// owe. The order is check the PSA, book the money, mark the PSA: an invoice the PSA shows voided or paid by someone
/// else gets nothing in either system, and the PSA is never marked paid for money the books do not hold.
/// </summary>
public static partial class WritebackDecider
{
    /// <summary>
    /// What the PSA is asked to mark paid once the books took the money: the invoices the books now say are settled (no
    /// balance left), none for a partial payment. Null when the books did not take the payment: nothing is marked.
    /// <paramref name="readAfter"/> is the books read again after the write (their own look for it), when it found the
    /// payment: its balances are taken over the write's, since another payment of the same invoice may have been booked
    /// meanwhile. Of two partial payments written at once, the one read last sees the invoice settled and marks it.
    /// </summary>
    public static PaymentWriteRequest? StatusAfter(WriteStep.Write plan, WritebackOutcome books, WritebackOutcome.Written? readAfter = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (books is not WritebackOutcome.Written written)
        {
            return null;
        }

        var settled = (readAfter ?? written).Invoices.Where(i => i.BalanceAfter == 0m).Select(i => i.InvoiceId).ToHashSet();
        return plan.Primary with { Invoices = [.. plan.Primary.Invoices.Where(p => settled.Contains(p.InvoiceId))] };
    }

    /// <summary>
    /// What a write that follows the books did, as the events of the payment's writeback stream.
    /// <paramref name="check"/> is the PSA's refusal before anything was written; <paramref name="books"/> the accounting
    /// connection's outcome (null when the check refused); <paramref name="status"/> the PSA's (null when the books did
    /// not take the payment). Both written: the books' booking, then the PSA's, whose ids are the PSA invoices the payment
    /// applied to (each owes again when the payment is reversed) and whose status and balances are the books'.
    /// </summary>
    public static IReadOnlyList<object> RecordStatusWrite(PaymentToWrite payment, WriteStep.Write plan, WritebackOutcome.NeedsAttention? check,
        WritebackOutcome? books, WritebackOutcome? status, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(plan);
        var psa = plan.PrimaryConnection;
        var accounting = plan.SecondaryConnection ?? throw new ArgumentException("A write that follows the books needs its books.", nameof(plan));
        if (check is not null)
        {
            return [Attention(payment, psa.Id, check.ReasonCode, $"{check.Reason} Nothing was written to {psa.Kind} or {accounting.Kind}.", now)];
        }

        switch (books)
        {
            case WritebackOutcome.NeedsAttention refused:
                return [Attention(payment, accounting.Id, refused.ReasonCode,
                    $"{accounting.Kind} did not take the payment: {refused.Reason} Nothing was written to {psa.Kind} either.", now)];
            case not WritebackOutcome.Written:
                throw new ArgumentException($"A write cannot end {books}.", nameof(books));
        }

        var booked = (WritebackOutcome.Written)books;
        return status switch
        {
            WritebackOutcome.Written => [BooksBooking(payment, accounting, booked, now), PsaBooking(payment, plan, booked, now)],
            WritebackOutcome.NeedsAttention n => [
                new PaymentWrittenToSecondaryOnly(payment.MeshPaymentId, payment.TenantId, accounting.Id, booked.ExternalPaymentIds, now),
                Attention(payment, psa.Id, n.ReasonCode,
                    $"Booked in {accounting.Kind} (payment {string.Join(", ", booked.ExternalPaymentIds)}) but {psa.Kind} was not marked paid: {n.Reason}", now)],
            _ => throw new ArgumentException($"A write that follows the books needs the PSA's outcome, not {status}.", nameof(status)),
        };
    }

    /// <summary>
    /// What a look for an earlier write found, for a write that follows the books: the books hold the money or nothing was
    /// booked. Found there, the PSA's booking is recorded with it as a write records it (its paid marks, if any, are the
    /// reversal's to clear), so the saga reverses both.
    /// </summary>
    public static IReadOnlyList<object> RecordStatusLook(PaymentToWrite payment, WritebackRecord? record, WriteStep.LookBeforeCancel look,
        WritebackOutcome.Written? books, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(look);
        return books is null
            ? RecordLook(payment, record, look, null, null, now)
            : [BooksBooking(payment, look.Plan.SecondaryConnection!, books, now), PsaBooking(payment, look.Plan, books, now)];
    }

    private static PaymentStatusWrittenBack BooksBooking(PaymentToWrite payment, ConnectionFacts accounting, WritebackOutcome.Written books,
        DateTimeOffset now) =>
        new(payment.MeshPaymentId, payment.PaymentId, payment.TenantId, accounting.Id, accounting.Kind, books.Status, books.ExternalPaymentIds,
            books.Invoices, now, ToSecondary: true);

    private static PaymentStatusWrittenBack PsaBooking(PaymentToWrite payment, WriteStep.Write plan, WritebackOutcome.Written books, DateTimeOffset now)
    {
        var balances = books.Invoices.ToDictionary(i => i.InvoiceId, i => i.BalanceAfter);
        var portions = plan.Primary.Invoices;
        return new PaymentStatusWrittenBack(payment.MeshPaymentId, payment.PaymentId, payment.TenantId, plan.PrimaryConnection.Id,
            plan.PrimaryConnection.Kind, books.Status, [.. portions.Select(p => p.ExternalInvoiceId).Distinct(StringComparer.Ordinal)],
            [.. portions.Select(p => new WrittenBackInvoice(p.InvoiceId, p.ExternalInvoiceId, p.Amount, balances.GetValueOrDefault(p.InvoiceId)))], now);
    }
}
