using System.Net;
using System.Net.Sockets;

namespace ReconMesh.Integrations.Http;

/// <summary>
/// Which addresses are not the public internet: loopback, private (RFC 1918, and the carrier-grade NAT range),
/// link-local (where cloud metadata services answer, 169.254.169.254), unique-local, unspecified, multicast and
/// reserved. An integration's API is on the public internet; reaching anything else needs an explicit allowance.
/// </summary>
public static class AddressRanges
{
    private static readonly (IPNetwork Network, string What)[] NotPublic =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "an unspecified (this-network) address"),
        (IPNetwork.Parse("10.0.0.0/8"), "a private address"),
        (IPNetwork.Parse("100.64.0.0/10"), "a shared (carrier-grade NAT) address"),
        (IPNetwork.Parse("127.0.0.0/8"), "a loopback address"),
        (IPNetwork.Parse("169.254.0.0/16"), "a link-local address (where cloud metadata services answer)"),
        (IPNetwork.Parse("172.16.0.0/12"), "a private address"),
        (IPNetwork.Parse("192.0.0.0/24"), "a reserved (IETF protocol) address"),
        (IPNetwork.Parse("192.168.0.0/16"), "a private address"),
        (IPNetwork.Parse("198.18.0.0/15"), "a reserved (benchmarking) address"),
        (IPNetwork.Parse("224.0.0.0/4"), "a multicast address"),
        (IPNetwork.Parse("240.0.0.0/4"), "a reserved address"),
        (IPNetwork.Parse("::/128"), "an unspecified address"),
        (IPNetwork.Parse("::1/128"), "a loopback address"),
        (IPNetwork.Parse("fc00::/7"), "a unique-local (private) address"),
        (IPNetwork.Parse("fe80::/10"), "a link-local address"),
        (IPNetwork.Parse("fec0::/10"), "a site-local (private) address"),
        (IPNetwork.Parse("ff00::/8"), "a multicast address"),
    ];

    /// <summary>What kind of non-public address <paramref name="address"/> is (e.g. "a loopback address"), or null when it is public.</summary>
    public static string? NotPublicKind(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        // An IPv4 address written as IPv6 (::ffff:10.0.0.1) or translated by NAT64 (64:ff9b::10.0.0.1) is that IPv4 address.
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : Nat64(address) ?? address;
        return NotPublic.Where(r => r.Network.BaseAddress.AddressFamily == plain.AddressFamily && r.Network.Contains(plain))
            .Select(r => r.What).FirstOrDefault();
    }

    private static IPAddress? Nat64(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }

        var bytes = address.GetAddressBytes();
        ReadOnlySpan<byte> prefix = [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0];
        return bytes.AsSpan(0, 12).SequenceEqual(prefix) ? new IPAddress(bytes.AsSpan(12)) : null;
    }
}
