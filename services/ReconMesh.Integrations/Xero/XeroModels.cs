using System.Text.Json.Serialization;

namespace ReconMesh.Integrations.Xero;

// Wire shapes of the Xero Accounting API 2.0, as far as ReconMesh reads or writes them. Names are Xero's own
// (PascalCase, "ID" spelled as Xero spells it); dates arrive as /Date(ms+0000)/ (XeroDateConverter); amounts are decimals.

public sealed record XeroPagination(int Page, int PageSize, int PageCount, int ItemCount);

public sealed class XeroInvoicesEnvelope
{
    public IReadOnlyList<XeroInvoice>? Invoices { get; init; }
    [JsonPropertyName("pagination")] public XeroPagination? Pagination { get; init; }
}

public sealed class XeroContactRef
{
    [JsonPropertyName("ContactID")] public string? ContactId { get; init; }
    public string? Name { get; init; }
}

public sealed class XeroLineItem
{
    public string? Description { get; init; }
    public decimal? LineAmount { get; init; }
}

/// <summary>A payment as an invoice lists it.</summary>
public sealed class XeroPaymentSummary
{
    [JsonPropertyName("PaymentID")] public string PaymentId { get; init; } = "";
    public decimal Amount { get; init; }
    public string? Reference { get; init; }
}

public sealed class XeroInvoice
{
    public string? Type { get; init; }
    [JsonPropertyName("InvoiceID")] public string InvoiceId { get; init; } = "";
    public string? InvoiceNumber { get; init; }
    public string? Status { get; init; }
    public XeroContactRef? Contact { get; init; }
    public DateTimeOffset? Date { get; init; }
    public DateTimeOffset? DueDate { get; init; }
    public decimal Total { get; init; }
    public decimal AmountDue { get; init; }
    public decimal AmountPaid { get; init; }
    public string? CurrencyCode { get; init; }
    [JsonPropertyName("UpdatedDateUTC")] public DateTimeOffset? UpdatedDateUtc { get; init; }
    public IReadOnlyList<XeroLineItem>? LineItems { get; init; }
    public IReadOnlyList<XeroPaymentSummary>? Payments { get; init; }
}

public sealed class XeroContactsEnvelope
{
    public IReadOnlyList<XeroContact>? Contacts { get; init; }
}

public sealed class XeroContactPerson
{
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? EmailAddress { get; init; }
    public bool IncludeInEmails { get; init; }
}

public sealed class XeroContact
{
    [JsonPropertyName("ContactID")] public string ContactId { get; init; } = "";
    public string? Name { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? EmailAddress { get; init; }
    public IReadOnlyList<XeroContactPerson>? ContactPersons { get; init; }
}

public sealed class XeroPaymentsEnvelope
{
    public IReadOnlyList<XeroPayment>? Payments { get; init; }
}

public sealed class XeroInvoiceRef
{
    [JsonPropertyName("InvoiceID")] public string? InvoiceId { get; init; }
}

/// <summary>An account by its id or its code (Xero takes either).</summary>
public sealed class XeroAccountRef
{
    [JsonPropertyName("AccountID")] public string? AccountId { get; init; }
    public string? Code { get; init; }

    /// <summary>An account a partner named by its id (a GUID) or its code.</summary>
    public static XeroAccountRef Of(string idOrCode) =>
        Guid.TryParse(idOrCode, out _) ? new XeroAccountRef { AccountId = idOrCode } : new XeroAccountRef { Code = idOrCode };
}

public sealed class XeroPayment
{
    [JsonPropertyName("PaymentID")] public string PaymentId { get; init; } = "";
    public decimal Amount { get; init; }
    public string? Reference { get; init; }
    public string? Status { get; init; }
    public XeroInvoiceRef? Invoice { get; init; }
    public XeroAccountRef? Account { get; init; }
}

/// <summary>A payment ReconMesh creates: the invoice, the account it is paid into, the date (yyyy-MM-dd), the amount and the reference.</summary>
public sealed class XeroNewPayment
{
    public required XeroInvoiceRef Invoice { get; init; }
    public required XeroAccountRef Account { get; init; }
    public required string Date { get; init; }
    public decimal Amount { get; init; }
    public string? Reference { get; init; }
}

/// <summary>The one change Xero takes on a payment: <c>{"Status":"DELETED"}</c>.</summary>
public sealed record XeroStatusChange(string Status)
{
    public static readonly XeroStatusChange Deleted = new("DELETED");
}
