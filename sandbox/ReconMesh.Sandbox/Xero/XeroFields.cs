namespace ReconMesh.Sandbox.Xero;

/// <summary>The fields the simulator's <c>where</c> clauses understand, per collection (names are matched ignoring case).</summary>
internal static class XeroFields
{
    public static readonly IReadOnlyDictionary<string, XeroField<XeroInvoice>> Invoice = Table<XeroInvoice>(
        new("Type", XeroFieldKind.String, i => i.Type),
        new("Status", XeroFieldKind.String, i => i.Status),
        new("InvoiceID", XeroFieldKind.Guid, i => i.InvoiceId),
        new("InvoiceNumber", XeroFieldKind.String, i => i.InvoiceNumber),
        new("Reference", XeroFieldKind.String, i => i.Reference),
        new("Contact.ContactID", XeroFieldKind.Guid, i => i.Contact.ContactId),
        new("Contact.Name", XeroFieldKind.String, i => i.Contact.Name),
        new("Contact.ContactNumber", XeroFieldKind.String, i => i.Contact.ContactNumber),
        new("Date", XeroFieldKind.Date, i => i.Date),
        new("DueDate", XeroFieldKind.Date, i => i.DueDate),
        new("UpdatedDateUTC", XeroFieldKind.DateTime, i => i.UpdatedUtc),
        new("AmountDue", XeroFieldKind.Decimal, i => i.AmountDue),
        new("AmountPaid", XeroFieldKind.Decimal, i => i.AmountPaid),
        new("Total", XeroFieldKind.Decimal, i => i.Total),
        new("CurrencyCode", XeroFieldKind.String, i => i.CurrencyCode));

    public static readonly IReadOnlyDictionary<string, XeroField<XeroContact>> Contact = Table<XeroContact>(
        new("ContactID", XeroFieldKind.Guid, c => c.ContactId),
        new("Name", XeroFieldKind.String, c => c.Name),
        new("ContactNumber", XeroFieldKind.String, c => c.ContactNumber),
        new("EmailAddress", XeroFieldKind.String, c => c.EmailAddress),
        new("FirstName", XeroFieldKind.String, c => c.FirstName),
        new("LastName", XeroFieldKind.String, c => c.LastName),
        new("ContactStatus", XeroFieldKind.String, c => c.ContactStatus),
        new("UpdatedDateUTC", XeroFieldKind.DateTime, c => c.UpdatedUtc));

    public static readonly IReadOnlyDictionary<string, XeroField<XeroPayment>> Payment = Table<XeroPayment>(
        new("PaymentID", XeroFieldKind.Guid, p => p.PaymentId),
        new("Status", XeroFieldKind.String, p => p.Status),
        new("PaymentType", XeroFieldKind.String, p => p.PaymentType),
        new("Reference", XeroFieldKind.String, p => p.Reference),
        new("Date", XeroFieldKind.Date, p => p.Date),
        new("Amount", XeroFieldKind.Decimal, p => p.Amount),
        new("Invoice.InvoiceID", XeroFieldKind.Guid, p => p.Invoice.InvoiceId),
        new("Account.AccountID", XeroFieldKind.Guid, p => p.Account.AccountId),
        new("UpdatedDateUTC", XeroFieldKind.DateTime, p => p.UpdatedUtc));

    public static readonly IReadOnlyDictionary<string, XeroField<XeroBankTransaction>> BankTransaction = Table<XeroBankTransaction>(
        new("BankTransactionID", XeroFieldKind.Guid, t => t.BankTransactionId),
        new("Type", XeroFieldKind.String, t => t.Type),
        new("Status", XeroFieldKind.String, t => t.Status),
        new("Reference", XeroFieldKind.String, t => t.Reference),
        new("Date", XeroFieldKind.Date, t => t.Date),
        new("Total", XeroFieldKind.Decimal, t => t.Total),
        new("Contact.ContactID", XeroFieldKind.Guid, t => t.Contact.ContactId),
        new("BankAccount.AccountID", XeroFieldKind.Guid, t => t.BankAccount.AccountId),
        new("BankAccount.Code", XeroFieldKind.String, t => t.BankAccount.Code),
        new("UpdatedDateUTC", XeroFieldKind.DateTime, t => t.UpdatedUtc));

    public static readonly IReadOnlyDictionary<string, XeroField<XeroBankTransfer>> BankTransfer = Table<XeroBankTransfer>(
        new("BankTransferID", XeroFieldKind.Guid, t => t.BankTransferId),
        new("Reference", XeroFieldKind.String, t => t.Reference),
        new("Date", XeroFieldKind.Date, t => t.Date),
        new("Amount", XeroFieldKind.Decimal, t => t.Amount),
        new("FromBankAccount.AccountID", XeroFieldKind.Guid, t => t.From.AccountId),
        new("FromBankAccount.Code", XeroFieldKind.String, t => t.From.Code),
        new("ToBankAccount.AccountID", XeroFieldKind.Guid, t => t.To.AccountId),
        new("ToBankAccount.Code", XeroFieldKind.String, t => t.To.Code),
        new("CreatedDateUTC", XeroFieldKind.DateTime, t => t.CreatedUtc));

    private static Dictionary<string, XeroField<T>> Table<T>(params XeroField<T>[] fields) =>
        fields.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
}
