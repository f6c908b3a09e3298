using System.Text.Json.Serialization;

namespace ReconMesh.Integrations.Autotask;

/// <summary>The zone look-up's answer: the zone's REST address (<c>url</c>, e.g. https://webservices15.autotask.net/ATServicesRest/) and the database (<c>ci</c>).</summary>
public sealed record AutotaskZone(string? ZoneName, string? Url, string? WebUrl, long? Ci);

/// <summary>A query's answer: <c>{"items":[…],"pageDetails":{count, requestCount, prevPageUrl, nextPageUrl}}</c>.</summary>
public sealed record AutotaskPage<T>(IReadOnlyList<T>? Items, AutotaskPageDetails? PageDetails);

public sealed record AutotaskPageDetails(int Count, int RequestCount, string? PrevPageUrl, string? NextPageUrl);

/// <summary>
/// An Autotask invoice, the fields ReconMesh reads (Autotask's names): made by Autotask's billing, never over the API.
/// It has a total, no amount paid: <c>paidDate</c> (a date) marks it paid in full; <c>isVoided</c>/<c>voidedDate</c> void it.
/// Without the multi-currency module it carries no currency.
/// </summary>
public sealed record AutotaskInvoice
{
    public long Id { get; init; }

    [JsonPropertyName("companyID")]
    public long? CompanyId { get; init; }

    public string? InvoiceNumber { get; init; }

    public DateTimeOffset? InvoiceDateTime { get; init; }

    public DateTimeOffset? CreateDateTime { get; init; }

    public decimal? InvoiceTotal { get; init; }

    public decimal? TotalTaxValue { get; init; }

    public DateTimeOffset? PaidDate { get; init; }

    public bool? IsVoided { get; init; }

    public DateTimeOffset? VoidedDate { get; init; }

    public DateTimeOffset? DueDate { get; init; }

    public DateTimeOffset? WebServiceDate { get; init; }
}

/// <summary>One entity's answer: <c>{"item":{…}}</c>.</summary>
public sealed record AutotaskItem<T>(T? Item);

/// <summary>An update's answer: <c>{"itemId": id}</c>.</summary>
public sealed record AutotaskUpdated(long ItemId);

/// <summary>
/// The invoice fields ReconMesh changes: <c>paidDate</c> (a date; sent as null, it clears the mark, so it is always
/// written) and <c>webServiceDate</c> (ReconMesh's stamp, left alone when null).
/// </summary>
public sealed record AutotaskInvoiceUpdate(
    long Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? PaidDate,
    string? WebServiceDate);

/// <summary>An Autotask company (the invoice's customer): its name, and <c>billToAttention</c>, the person its invoices are addressed to.</summary>
public sealed record AutotaskCompany
{
    public long Id { get; init; }

    public string? CompanyName { get; init; }

    public string? BillToAttention { get; init; }
}

/// <summary>An Autotask contact of a company. <c>isActive</c> is an integer (1 active, 0 not), <c>primaryContact</c> a boolean.</summary>
public sealed record AutotaskContact
{
    public long Id { get; init; }

    [JsonPropertyName("companyID")]
    public long? CompanyId { get; init; }

    public string? FirstName { get; init; }

    public string? LastName { get; init; }

    public string? EmailAddress { get; init; }

    public string? Phone { get; init; }

    public int? IsActive { get; init; }

    public bool? PrimaryContact { get; init; }
}
