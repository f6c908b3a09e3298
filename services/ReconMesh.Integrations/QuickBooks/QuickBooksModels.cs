using System.Text.Json.Serialization;

namespace ReconMesh.Integrations.QuickBooks;

// Wire shapes of the QuickBooks Online Accounting API v3, as far as ReconMesh reads or writes them.
// Property names are QuickBooks' own (PascalCase); amounts are exact decimals.

public sealed record QboRef([property: JsonPropertyName("value")] string Value, [property: JsonPropertyName("name")] string? Name = null);

public sealed record QboMetaData(DateTimeOffset CreateTime, DateTimeOffset LastUpdatedTime);

public sealed record QboLinkedTxn(string TxnId, string TxnType, string? TxnLineId = null);

public sealed record QboEmail(string? Address);

public sealed record QboPhone(string? FreeFormNumber);

public sealed record QboSalesItemLineDetail(QboRef? ItemRef, decimal? Qty, decimal? UnitPrice);

public sealed class QboLine
{
    public string? Id { get; init; }
    public int? LineNum { get; init; }
    public string? Description { get; init; }
    public decimal Amount { get; init; }
    public string? DetailType { get; init; }
    public QboSalesItemLineDetail? SalesItemLineDetail { get; init; }
    public IReadOnlyList<QboLinkedTxn>? LinkedTxn { get; init; }
}

public sealed class QboInvoice
{
    public string Id { get; init; } = "";
    /// <summary>"Deleted" for an invoice change data capture reports as deleted; absent otherwise.</summary>
    [JsonPropertyName("status")] public string? Status { get; init; }
    public string SyncToken { get; init; } = "";
    public string? DocNumber { get; init; }
    public DateOnly? TxnDate { get; init; }
    public DateOnly? DueDate { get; init; }
    public QboRef? CustomerRef { get; init; }
    public QboRef? CurrencyRef { get; init; }
    public IReadOnlyList<QboLine>? Line { get; init; }
    public decimal TotalAmt { get; init; }
    public decimal Balance { get; init; }
    public IReadOnlyList<QboLinkedTxn>? LinkedTxn { get; init; }
    public QboEmail? BillEmail { get; init; }
    public string? PrivateNote { get; init; }
    public QboMetaData? MetaData { get; init; }
}

/// <summary>An invoice ReconMesh creates: only what it sets (QuickBooks computes totals and balances).</summary>
public sealed class QboNewInvoice
{
    public string? DocNumber { get; init; }
    public required QboRef CustomerRef { get; init; }
    public QboRef? CurrencyRef { get; init; }
    public DateOnly? TxnDate { get; init; }
    public required IReadOnlyList<QboNewSalesLine> Line { get; init; }
    public string? PrivateNote { get; init; }
    public QboMemo? CustomerMemo { get; init; }
}

public sealed class QboNewSalesLine
{
    public decimal Amount { get; init; }
    public string DetailType { get; init; } = "SalesItemLineDetail";
    public string? Description { get; init; }
    public required QboSalesItemLineDetail SalesItemLineDetail { get; init; }
}

public sealed record QboMemo([property: JsonPropertyName("value")] string Value);

public sealed class QboCustomer
{
    public string Id { get; init; } = "";
    public string SyncToken { get; init; } = "";
    public string? DisplayName { get; init; }
    public string? CompanyName { get; init; }
    public string? GivenName { get; init; }
    public string? FamilyName { get; init; }
    public QboEmail? PrimaryEmailAddr { get; init; }
    public QboPhone? PrimaryPhone { get; init; }
    public bool? Active { get; init; }
    public QboMetaData? MetaData { get; init; }
}

public sealed class QboPaymentLine
{
    public decimal Amount { get; init; }
    public IReadOnlyList<QboLinkedTxn> LinkedTxn { get; init; } = [];
}

public sealed class QboPayment
{
    public string? Id { get; init; }
    public string? SyncToken { get; init; }
    public QboRef? CustomerRef { get; init; }
    public decimal TotalAmt { get; init; }
    public decimal? UnappliedAmt { get; init; }
    public DateOnly? TxnDate { get; init; }
    public QboRef? CurrencyRef { get; init; }
    public QboRef? DepositToAccountRef { get; init; }
    public string? PaymentRefNum { get; init; }
    public string? PrivateNote { get; init; }
    public IReadOnlyList<QboPaymentLine> Line { get; init; } = [];
    public QboMetaData? MetaData { get; init; }
}

public sealed class QboQueryResponse
{
    [JsonPropertyName("startPosition")] public int? StartPosition { get; init; }
    [JsonPropertyName("maxResults")] public int? MaxResults { get; init; }
    [JsonPropertyName("totalCount")] public int? TotalCount { get; init; }
    public IReadOnlyList<QboInvoice>? Invoice { get; init; }
    public IReadOnlyList<QboCustomer>? Customer { get; init; }
    public IReadOnlyList<QboPayment>? Payment { get; init; }
    public IReadOnlyList<QboAccount>? Account { get; init; }
    public IReadOnlyList<QboItem>? Item { get; init; }
}

/// <param name="QueryResponse">The rows, or the count.</param>
/// <param name="Time">When QuickBooks answered, on its own clock (<c>"time"</c>, e.g. <c>2015-07-24T10:48:27.239-07:00</c>).</param>
public sealed record QboQueryEnvelope(QboQueryResponse? QueryResponse, [property: JsonPropertyName("time")] string? Time = null);

public sealed record QboInvoiceEnvelope(QboInvoice Invoice);

public sealed record QboPaymentEnvelope(QboPayment Payment);

public sealed record QboVoidRequest(string Id, string SyncToken, [property: JsonPropertyName("sparse")] bool Sparse = true);

public sealed class QboDepositLineDetail
{
    public QboRef? AccountRef { get; init; }
}

public sealed class QboDepositLine
{
    public decimal Amount { get; init; }
    public string? Description { get; init; }
    public IReadOnlyList<QboLinkedTxn>? LinkedTxn { get; init; }
    public string? DetailType { get; init; }
    public QboDepositLineDetail? DepositLineDetail { get; init; }
}

public sealed class QboDeposit
{
    public string? Id { get; init; }
    public string? SyncToken { get; init; }
    public QboRef? DepositToAccountRef { get; init; }
    public DateOnly? TxnDate { get; init; }
    public decimal TotalAmt { get; init; }
    public string? PrivateNote { get; init; }
    public QboRef? CurrencyRef { get; init; }
    public IReadOnlyList<QboDepositLine> Line { get; init; } = [];
}

public sealed record QboDepositEnvelope(QboDeposit Deposit);

public sealed class QboAccount
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? AccountType { get; init; }
    public string? AccountSubType { get; init; }
    public bool? Active { get; init; }
}

public sealed record QboAccountEnvelope(QboAccount Account);

public sealed class QboItem
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? Type { get; init; }
    public string? Description { get; init; }
    public QboRef? IncomeAccountRef { get; init; }
    public bool? Active { get; init; }
}

public sealed record QboItemEnvelope(QboItem Item);

public sealed record QboCdcEnvelope(IReadOnlyList<QboCdcResponse>? CDCResponse);

public sealed record QboCdcResponse(IReadOnlyList<QboQueryResponse>? QueryResponse);
