using System.Text.Json;

namespace ReconMesh.OperatorConsole.Services;

// The services' answers as the console reads them: only the fields it shows; enums as the names the services send.

/// <summary>InvoiceIngest's view of a connection (<c>GET /tenants/{t}/connections</c>).</summary>
public sealed record ConnectionView(
    Guid Id, string TenantId, string Kind, string Status, string? Reason, DateTimeOffset? StatusSince, int RejectedAttempts, bool InitialSyncComplete,
    DateTimeOffset? LastSyncAt, DateTimeOffset? LastReconciledAt, string? LastSyncFailure, DateTimeOffset? LastSyncFailedAt, int FailedSyncsInARow,
    ConnectionSettingsView? Settings, DateTimeOffset? RemovedAt, string? RemovedBy, int? InvoicesSynced = null, RateLimitView? RateLimit = null)
{
    /// <summary>Syncing: an operator may pause it.</summary>
    public bool MayPause => Status == "Active";

    /// <summary>Paused by an operator, or after its credentials were refused: an operator may resume it.</summary>
    public bool MayResume => Status is "PausedByOperator" or "CredentialsRejected";

    public bool IsRemoved => Status == "Removed";
}

/// <summary>The budget a connection's calls are paced to: requests a minute and at once (0: none), its own or its integration's.</summary>
/// <remarks>InFlight and AheadOfPace: the budget as taken right now across replicas (requests in flight; requests the pace runs ahead
/// of its steady rate, up to Burst when callers wait); null when the connection is unpaced.</remarks>
public sealed record RateLimitView(int RequestsPerMinute, int MaxConcurrent, string Source, int? InFlight = null, int? AheadOfPace = null, int? Burst = null);

/// <summary>How a connection is set up (never its secret: the services do not send one).</summary>
public sealed record ConnectionSettingsView(
    string Source, Uri? BaseUrl, string? RealmId, string? CompanyId, string? DepositAccountId, bool RecordDeposits, bool IsSecondary, TimeSpan PollInterval,
    bool CredentialsAvailable);

/// <summary>WritebackService's counts of a tenant's payments by state (<c>GET /tenants/{t}/payments</c>).</summary>
public sealed record PaymentStates(string TenantId, int Payments, IReadOnlyDictionary<string, int> States, int OnTheirWay, IReadOnlyList<PaymentOnItsWay> Oldest);

public sealed record PaymentOnItsWay(Guid MeshPaymentId, string PaymentId, string State, DateTimeOffset UpdatedAt);

/// <summary>One payment and its story (<c>GET /tenants/{t}/payments/{id}</c>; the exceptions queue lists the same).</summary>
public sealed record PaymentDetails(
    Guid MeshPaymentId, string PaymentId, string State, string Currency, decimal Amount, string? ReasonCode, string? Reason, string? Stage,
    bool FailedOnPlatform, IReadOnlyList<string> ExternalPaymentIds, DateTimeOffset UpdatedAt, IReadOnlyList<StoryEntry> Story,
    IReadOnlyList<PaymentAllocation>? Allocations, DateTimeOffset? ProcessedAt)
{
    public bool NeedsAttention => State == "NeedsAttention";

    /// <summary>Moving without a person: being written back (a retry, or waiting for its invoice) or reversed.</summary>
    public bool OnItsWay => State is "WritingBack" or "WaitingForInvoice" or "Reversing";

    /// <summary>The connection the payment was written to, from its story's write-back event; null before one.</summary>
    public Guid? WrittenTo => Story.Where(e => e.Event == "payment_written_back" && e.Data.ValueKind == JsonValueKind.Object)
        .Select(e => e.Data.TryGetProperty("connectionId", out var id) && id.TryGetGuid(out var guid) ? guid : (Guid?)null)
        .LastOrDefault(id => id is not null);
}

public sealed record PaymentAllocation(Guid InvoiceId, decimal Amount);

/// <summary>One event of a stream, its data as the service recorded it.</summary>
public sealed record StoryEntry(long Version, string Event, DateTimeOffset RecordedAt, JsonElement Data, string? TraceId);

/// <summary>An invoice as InvoiceIngest last read it from its integration.</summary>
public sealed record InvoiceSnapshot(
    Guid InvoiceId, string TenantId, Guid ConnectionId, string Integration, string ExternalId, string Number, string CustomerExternalId, string CustomerName,
    string Currency, decimal Total, decimal Balance, DateOnly IssueDate, DateOnly? DueDate);

/// <summary>An invoice and its history (<c>GET /tenants/{t}/invoices/{id}</c>).</summary>
public sealed record InvoiceDetails(InvoiceSnapshot Invoice, long Version, IReadOnlyList<StoryEntry> History);

/// <summary>The services' problem details: the title and detail are shown, nothing else.</summary>
public sealed record Problem(string? Title, string? Detail, int? Status);

public sealed record RetryRequest(string RequestedBy, string? Note);

public sealed record DismissRequest(string DismissedBy, string Reason);
