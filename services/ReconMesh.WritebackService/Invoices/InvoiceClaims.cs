using ReconMesh.Contracts.Invoices;
using ReconMesh.EventSourcing.Identity;
using ReconMesh.Integrations.Connections;

namespace ReconMesh.WritebackService.Invoices;

/// <summary>
/// Whether an invoice message can be what it says: an invoice of the tenant and integration of the connection it came
/// through, under the id made of both (asked by <see cref="Trust.InvoiceSyncedClaims"/> and by <see cref="InvoiceSyncedConsumer"/>).
/// </summary>
public static class InvoiceClaims
{
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
