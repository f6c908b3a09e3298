using ReconMesh.Contracts;
using ReconMesh.Contracts.Invoices;

namespace ReconMesh.Domain.Invoices;

/// <summary>An invoice as ReconMesh last read it from its integration.</summary>
public sealed record InvoiceSnapshot(
    Guid InvoiceId,
    string TenantId,
    Guid ConnectionId,
    IntegrationKind Integration,
    string ExternalId,
    string Number,
    string CustomerExternalId,
    string CustomerName,
    string Currency,
    decimal Total,
    decimal Balance,
    DateOnly IssueDate,
    DateOnly? DueDate,
    IReadOnlyList<InvoiceLine> Lines)
{
    /// <summary>Value equality including the lines, so an unchanged invoice appends nothing.</summary>
    public bool SameAs(InvoiceSnapshot other) =>
        this with { Lines = [] } == other with { Lines = [] } && Lines.SequenceEqual(other.Lines);
}

/// <summary>The first time ReconMesh read the invoice from its integration.</summary>
public sealed record InvoiceImported(InvoiceSnapshot Invoice, DateTimeOffset ReadAt);

/// <summary>The invoice changed in its integration since ReconMesh last read it (an edit, a payment recorded there, a void).</summary>
public sealed record InvoiceChangedInIntegration(InvoiceSnapshot Invoice, IReadOnlyList<string> Changes, DateTimeOffset ReadAt);

/// <summary>The invoice was deleted in its integration; ReconMesh archives it and changes it no more.</summary>
public sealed record InvoiceArchivedInIntegration(
    Guid InvoiceId, string TenantId, Guid ConnectionId, string ExternalId, string Reason, DateTimeOffset ArchivedAt);

/// <summary>A customer's billing contact as read from the integration (first time or changed).</summary>
public sealed record BillingContactRecorded(
    string TenantId,
    Guid ConnectionId,
    IntegrationKind Integration,
    string CustomerExternalId,
    string CustomerName,
    string? ContactName,
    string? Email,
    string? Phone,
    DateTimeOffset ReadAt);
