using Microsoft.Extensions.Logging;
using ReconMesh.Contracts;
using ReconMesh.Domain.Writeback;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.Writeback;

namespace ReconMesh.Integrations.QuickBooks;

/// <summary>
/// Records a platform payment in QuickBooks Online as one Payment per customer, each line linked to an invoice
/// (<see cref="QuickBooksPaymentWrite"/>), and reverts it (<see cref="QuickBooksPaymentReversal"/>).
/// Exactly once: every Payment carries a <c>requestid</c> derived from ReconMesh's ids (QuickBooks replays the first
/// response for a repeated id) and a marker in its PrivateNote, so that a retry that finds the invoice already
/// reduced recognises its own earlier write instead of reporting a conflict or paying again.
/// Nothing is written blindly: each invoice is re-read first, and one that was deleted, voided, paid elsewhere or
/// is in another currency becomes a needs-attention outcome (<see cref="QuickBooksWriteRules"/>).
/// QuickBooks' faults arrive as <see cref="QuickBooksException"/>, translated by the client itself.
/// </summary>
public sealed class QuickBooksPaymentWriteback(QuickBooksClientFactory clients, ILogger<QuickBooksPaymentWriteback> logger) : IPaymentWriteback
{
    private readonly QuickBooksPaymentWrite _write = new(logger);
    private readonly QuickBooksPaymentReversal _reversal = new(logger);

    public IntegrationKind Kind => IntegrationKind.QuickBooksOnline;

    /// <summary>Every Payment carries a requestid derived from the payment and the customer: QuickBooks replays the first.</summary>
    public bool WritesAreIdempotent => true;

    public async Task<WritebackOutcome> WriteAsync(ConnectionSettings connection, PaymentWriteRequest request, CancellationToken cancellationToken) =>
        await _write.WriteAsync(clients.Create(connection), connection, request, null, cancellationToken);

    /// <summary>The invoices' reads, which every write begins with (<see cref="QuickBooksPaymentWrite.ReadInvoicesAsync"/>).</summary>
    public WriteReadAhead? ReadAhead(ConnectionSettings connection, PaymentWriteRequest request, CancellationToken cancellationToken) =>
        new QuickBooksInvoiceReads(QuickBooksPaymentWrite.ReadInvoicesAsync(clients.Create(connection), connection, request, cancellationToken));

    public async Task<WritebackOutcome> WriteAsync(ConnectionSettings connection, PaymentWriteRequest request, WriteReadAhead? ahead,
        CancellationToken cancellationToken) =>
        await _write.WriteAsync(clients.Create(connection), connection, request,
            ahead is QuickBooksInvoiceReads reads ? await reads.Invoices : null, cancellationToken);

    public async Task<WritebackOutcome.Written?> FindWrittenAsync(ConnectionSettings connection, PaymentWriteRequest request,
        CancellationToken cancellationToken) =>
        await QuickBooksPaymentWrite.FindAsync(clients.Create(connection), connection, request, cancellationToken);

    public async Task<WritebackOutcome> ReverseAsync(ConnectionSettings connection, PaymentReversalRequest request, CancellationToken cancellationToken) =>
        await _reversal.ReverseAsync(clients.Create(connection), connection, request, cancellationToken);
}

/// <summary>A write's invoices read ahead: each id read, with null for an invoice QuickBooks no longer has.</summary>
internal sealed class QuickBooksInvoiceReads(Task<IReadOnlyDictionary<string, QboInvoice?>> invoices) : WriteReadAhead
{
    public Task<IReadOnlyDictionary<string, QboInvoice?>> Invoices { get; } = invoices;
}
