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

    private static Dictionary<string, XeroField<T>> Table<T>(params XeroField<T>[] fields) =>
        fields.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
}
