namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>What a simulated site holds, as the admin API's <c>/books</c> reports it (camelCase on the wire).</summary>
public sealed record CwBooks(IReadOnlyList<CwBookInvoice> Invoices, IReadOnlyList<CwBookPayment> Payments, long RequestCount, long ThrottledCount);

/// <summary>One invoice with its amounts and status.</summary>
public sealed record CwBookInvoice(
    int Id, string InvoiceNumber, int CompanyId, decimal Total, decimal Payments, decimal Credits, decimal Balance, int StatusId,
    string StatusName, bool Closed, IReadOnlyList<int> PaymentIds);

/// <summary>One payment currently applied to an invoice (deleted payments are gone), with who applied it (its free text).</summary>
public sealed record CwBookPayment(int Id, int InvoiceId, decimal Amount, string PaymentDate, string Type, string? AppliedBy);

/// <summary>Body of <c>POST /admin/cw/sites/{companyId}/seed</c>.</summary>
public sealed record CwSeedRequest(int Companies, int Invoices, string? Currency, int? Seed);

/// <summary>Ids of what a seed created.</summary>
public sealed record CwSeedResult(IReadOnlyList<int> Companies, IReadOnlyList<int> Invoices);
