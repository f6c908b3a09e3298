namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>
/// What a simulated site holds, as the admin API's <c>/books</c> reports it (camelCase on the wire), with the API
/// requests it answered, those it throttled, and those refused for wrong API keys.
/// </summary>
public sealed record CwBooks(IReadOnlyList<CwBookInvoice> Invoices, IReadOnlyList<CwBookPayment> Payments, long RequestCount, long ThrottledCount,
    long RejectedCount);

/// <summary>One invoice with its amounts and status.</summary>
public sealed record CwBookInvoice(
    int Id, string InvoiceNumber, int CompanyId, decimal Total, decimal Payments, decimal Credits, decimal Balance, int StatusId,
    string StatusName, bool Closed, IReadOnlyList<int> PaymentIds);

/// <summary>One payment currently applied to an invoice (deleted payments are gone), with who applied it (its free text).</summary>
public sealed record CwBookPayment(int Id, int InvoiceId, decimal Amount, string PaymentDate, string Type, string? AppliedBy);

/// <summary>Body of <c>POST /admin/cw/sites/{companyId}/seed</c>.</summary>
/// <param name="Companies">Client companies to create (each with contacts).</param>
/// <param name="Invoices">Open invoices to create for them (or for the site's companies when none are asked for).</param>
/// <param name="Currency">Their currency code (USD by default).</param>
/// <param name="Seed">The random seed: the same seed gives the same data.</param>
/// <param name="Closed">How many of the new invoices are then paid in full and closed, so not open.</param>
public sealed record CwSeedRequest(int Companies, int Invoices, string? Currency, int? Seed, int Closed = 0);

/// <summary>Ids of what a seed created.</summary>
public sealed record CwSeedResult(IReadOnlyList<int> Companies, IReadOnlyList<int> Invoices);
