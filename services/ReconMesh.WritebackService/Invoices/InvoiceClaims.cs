using ReconMesh.Contracts.Invoices;
using ReconMesh.EventSourcing.Identity;
using ReconMesh.Integrations.Connections;

namespace ReconMesh.WritebackService.Invoices;

/// <summary>
/// Whether an invoice message can be what it says: an invoice of the tenant and integration of the connection it came
/// through, under the id made of both (asked by <see cref="Trust.InvoicesSyncedClaims"/> and by <see cref="InvoicesSyncedConsumer"/>).
/// </summary>
public static class InvoiceClaims
{
    /// <summary>Why <paramref name="message"/> is not a well-formed combination of invoices of its connection, or null when it is.</summary>
    public static string? Malformed(InvoicesSynced message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var invoices = message.Invoices ?? [];
        if (invoices.Count is 0 or > InvoicesSynced.MaxInvoices)
        {
            return $"An InvoicesSynced carries 1 to {InvoicesSynced.MaxInvoices} invoices; this one carries {invoices.Count}.";
        }

        var lines = invoices.Sum(i => i?.Lines?.Count ?? 0);
        if (invoices.Count > 1 && lines > InvoicesSynced.MaxLines)
        {
            return $"An InvoicesSynced of several invoices carries at most {InvoicesSynced.MaxLines} lines in all; this one carries {lines}.";
        }

        return invoices.FirstOrDefault(i => i is null || i.TenantId != message.TenantId || i.ConnectionId != message.ConnectionId) is { } stray
            ? $"Invoice {stray?.InvoiceId} does not belong to tenant {message.TenantId} and connection {message.ConnectionId}, which the message says all of its invoices do."
            : null;
    }

    /// <summary>Why one of <paramref name="message"/>'s invoices cannot be what it says, coming through <paramref name="connection"/>, or null when each can.</summary>
    public static string? Untrusted(InvoicesSynced message, ConnectionSettings connection) =>
        message.Invoices.Select(i => Untrusted(i, connection)).FirstOrDefault(reason => reason is not null);

    /// <summary>Why <paramref name="message"/> cannot be the invoice it says it is, coming through <paramref name="connection"/>, or null when it can.</summary>
    public static string? Untrusted(InvoiceSynced message, ConnectionSettings connection)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(connection);
        if (connection.TenantId != message.TenantId || connection.Kind != message.Integration)
        {
            return $"Invoice {message.InvoiceId} claims tenant {message.TenantId} and {message.Integration}, " +
                   $"but connection {message.ConnectionId} is another tenant's or another integration's.";
        }

        return message.InvoiceId == MeshIds.Invoice(message.ConnectionId, message.ExternalId ?? "")
            ? null
            : $"Invoice {message.InvoiceId} is not the id of {message.Integration} invoice '{message.ExternalId}' of connection {message.ConnectionId}.";
    }
}
