namespace ReconMesh.Sandbox.Xero;

/// <summary>Copies an organisation's state into <see cref="XeroBooks"/> (under its lock).</summary>
internal static class XeroBookKeeper
{
    public static XeroBooks Books(XeroOrganisation organisation) => new(
        organisation.TenantId,
        organisation.Name,
        organisation.BaseCurrency,
        new XeroBookLimits(organisation.Throttle.PerMinute, organisation.Throttle.MaxConcurrent, organisation.Throttle.PerDay),
        organisation.Requests,
        organisation.Throttled,
        organisation.IdempotentReplays,
        [.. organisation.Contacts.Values.OrderBy(c => c.UpdatedUtc).ThenBy(c => c.ContactId)
            .Select(c => new XeroBookContact(c.ContactId, c.Name, c.EmailAddress, c.ContactStatus, c.ContactPersons.Count))],
        [.. organisation.Accounts.Values.OrderBy(a => a.Code, StringComparer.Ordinal)
            .Select(a => new XeroBookAccount(a.AccountId, a.Code, a.Name, a.Type, a.EnablePaymentsToAccount, a.Status, a.Balance))],
        [.. organisation.Invoices.Values.OrderBy(i => i.InvoiceNumber, StringComparer.Ordinal)
            .Select(i => new XeroBookInvoice(i.InvoiceId, i.InvoiceNumber, i.Contact.ContactId, i.Status, i.Total, i.AmountPaid, i.AmountDue,
                i.UpdatedUtc, [.. i.Payments.Select(p => p.PaymentId)]))],
        [.. organisation.Payments.Values.OrderBy(p => p.UpdatedUtc).ThenBy(p => p.PaymentId)
            .Select(p => new XeroBookPayment(p.PaymentId, p.Invoice.InvoiceId, p.Account.Code, p.Date, p.Amount, p.Reference, p.Status))],
        [.. organisation.BankTransfers.Values.OrderBy(t => t.CreatedUtc).ThenBy(t => t.BankTransferId)
            .Select(t => new XeroBookTransfer(t.BankTransferId, t.From.Code, t.To.Code, t.Date, t.Amount, t.Reference))],
        [.. organisation.BankTransactions.Values.OrderBy(t => t.UpdatedUtc).ThenBy(t => t.BankTransactionId)
            .Select(t => new XeroBookBankTransaction(t.BankTransactionId, t.Type, t.BankAccount.Code, t.Date, t.Total, t.Reference, t.Status))]);
}
