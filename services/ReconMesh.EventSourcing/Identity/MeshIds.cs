using System.Security.Cryptography;
using System.Text;

namespace ReconMesh.EventSourcing.Identity;

/// <summary>
/// ReconMesh's ids are derived from the natural keys of what they name (RFC 4122 name-based, SHA-1), so that every
/// replica, every retry and every replay computes the same stream id for the same payment or invoice, and the
/// store's uniqueness of stream ids becomes the de-duplication.
/// </summary>
public static class MeshIds
{
    private static readonly Guid PaymentNamespace = new("5b0e4a52-7c43-4f59-9d4b-3f0a0d7f5c11");
    private static readonly Guid InvoiceNamespace = new("0d6f3c1e-2b7a-4e55-8f8e-6a1c9b4d2e70");
    private static readonly Guid CustomerNamespace = new("9a3e7d24-61c0-4b8e-a2f5-d47c1e08b3a9");
    private static readonly Guid PayoutNamespace = new("c27d5e90-3f4a-4b61-8e0d-5a9b1c7e2f48");

    /// <summary>The payment's stream id, from the tenant and the platform's payment id.</summary>
    public static Guid Payment(string tenantId, string platformPaymentId) => Create(PaymentNamespace, $"{tenantId}\n{platformPaymentId}");

    /// <summary>The payout's stream id, from the tenant and the platform's payout id.</summary>
    public static Guid Payout(string tenantId, string platformPayoutId) => Create(PayoutNamespace, $"{tenantId}\n{platformPayoutId}");

    /// <summary>The invoice's stream id, from the connection and the integration's invoice id.</summary>
    public static Guid Invoice(Guid connectionId, string externalInvoiceId) => Create(InvoiceNamespace, $"{connectionId:N}\n{externalInvoiceId}");

    /// <summary>The customer's stream id, from the connection and the integration's customer id.</summary>
    public static Guid Customer(Guid connectionId, string externalCustomerId) => Create(CustomerNamespace, $"{connectionId:N}\n{externalCustomerId}");

    private static Guid Create(Guid space, string name)
    {
        // On the stack only when small: names are bounded where they enter (IdBounds), but a name derived from an
        // unchecked value must cost memory, never the stack (an id of half a megabyte once overflowed it).
        var size = 16 + Encoding.UTF8.GetMaxByteCount(name.Length);
        Span<byte> input = size <= 1024 ? stackalloc byte[size] : new byte[size];
        space.TryWriteBytes(input, bigEndian: true, out _);
        var length = 16 + Encoding.UTF8.GetBytes(name, input[16..]);
        Span<byte> hash = stackalloc byte[20];
#pragma warning disable CA5350 // SHA-1 is what RFC 4122 version 5 specifies; this is naming, not security.
        SHA1.HashData(input[..length], hash);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
