using System.Text.Json.Serialization;

namespace ReconMesh.Integrations.ConnectWise;

// Wire shapes of the ConnectWise PSA (Manage) REST API 3.0, as far as ReconMesh reads or writes them.
// Property names are ConnectWise's own (camelCase); amounts are exact decimals; unknown fields are ignored.

/// <summary>A nested reference (<c>company</c>, <c>status</c>, <c>billToCompany</c>, ...).</summary>
public sealed class ConnectWiseReference
{
    public int? Id { get; init; }
    public string? Identifier { get; init; }
    public string? Name { get; init; }
}

public sealed class ConnectWiseCurrency
{
    public int? Id { get; init; }
    public string? CurrencyCode { get; init; }
    public string? Name { get; init; }
}

/// <summary>The <c>_info</c> block of an entity.</summary>
public sealed class ConnectWiseInfo
{
    public DateTimeOffset? LastUpdated { get; init; }
    public string? UpdatedBy { get; init; }
    public DateTimeOffset? DateEntered { get; init; }
}

public sealed class ConnectWiseInvoice
{
    public int Id { get; init; }
    public string? InvoiceNumber { get; init; }
    public string? Type { get; init; }
    public ConnectWiseReference? Status { get; init; }
    public ConnectWiseReference? Company { get; init; }
    public ConnectWiseReference? BillToCompany { get; init; }
    public DateTimeOffset? Date { get; init; }
    public DateTimeOffset? DueDate { get; init; }
    public ConnectWiseCurrency? Currency { get; init; }
    public decimal? Subtotal { get; init; }
    public decimal? SalesTax { get; init; }
    public decimal? Total { get; init; }
    public decimal? Payments { get; init; }
    public decimal? Credits { get; init; }
    public decimal? Balance { get; init; }
    [JsonPropertyName("_info")] public ConnectWiseInfo? Info { get; init; }

    /// <summary>The company that pays the invoice: the bill-to company, or the invoice's company when none is set.</summary>
    [JsonIgnore] public ConnectWiseReference? Customer => BillToCompany?.Id is not null ? BillToCompany : Company;
}

/// <summary>
/// A payment applied to one invoice (<c>/finance/invoices/{id}/payments</c>). ConnectWise's Payment has no memo or
/// reference field; <see cref="AppliedBy"/> (free text, 50 characters, defaulting to the API member) is where ReconMesh
/// writes its marker, since what applied the payment is exactly what the marker says.
/// </summary>
public sealed class ConnectWisePayment
{
    public int? Id { get; init; }
    public string? Type { get; init; }
    public ConnectWiseReference? Invoice { get; init; }
    public decimal? Amount { get; init; }
    public DateTimeOffset? PaymentDate { get; init; }
    public string? AppliedBy { get; init; }
    [JsonPropertyName("_info")] public ConnectWiseInfo? Info { get; init; }
}

public sealed class ConnectWiseBillingStatus
{
    public int Id { get; init; }
    public string? Name { get; init; }
    public int? SortOrder { get; init; }
    public bool? DefaultFlag { get; init; }
    public bool? ClosedFlag { get; init; }
    public bool? InactiveFlag { get; init; }
    public bool? SentFlag { get; init; }
}

public sealed class ConnectWiseCommunicationItem
{
    public int? Id { get; init; }
    public string? Value { get; init; }
    public bool? DefaultFlag { get; init; }
    public string? CommunicationType { get; init; }
}

public sealed class ConnectWiseContact
{
    public int Id { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public ConnectWiseReference? Company { get; init; }
    public bool? InactiveFlag { get; init; }
    public bool? DefaultFlag { get; init; }
    public bool? DefaultBillingFlag { get; init; }
    public string? DefaultPhoneNbr { get; init; }
    public IReadOnlyList<ConnectWiseCommunicationItem>? CommunicationItems { get; init; }
    [JsonPropertyName("_info")] public ConnectWiseInfo? Info { get; init; }
}

/// <summary>One JSON-Patch operation; PATCH bodies are arrays of these.</summary>
public sealed record ConnectWisePatchOperation(string Op, string Path, object Value);

/// <summary>A status reference as a patch value: <c>{"id": N}</c>.</summary>
public sealed record ConnectWiseIdReference(int Id);

/// <summary>The key callbacks are signed with, from <c>/system/callbackKeys/{id}</c>.</summary>
public sealed record ConnectWiseCallbackKey([property: JsonPropertyName("signing_key")] string? SigningKey);

public sealed record ConnectWiseValidationError(string? Code, string? Message, string? Resource, string? Field);

/// <summary>ConnectWise's error body.</summary>
public sealed record ConnectWiseErrorBody(string? Code, string? Message, IReadOnlyList<ConnectWiseValidationError>? Errors);
