using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using ReconMesh.Contracts;

namespace ReconMesh.Integrations.Http;

/// <summary>
/// Where ReconMesh may send a connection's credentials: the hosts allowed for its kind
/// (<c>ReconMesh:Integrations:AllowedHosts:{Kind}</c>, comma-separated names, <c>*.domain</c> for its subdomains,
/// <c>prefix*.domain</c> for the hosts of the domain whose name starts with the prefix, or addresses; by default the real
/// services' hosts), and, after DNS resolution, public addresses only, unless an
/// address is inside <c>ReconMesh:Integrations:AllowedPrivateNetworks</c> (comma-separated CIDR ranges or addresses;
/// none by default: the sandbox, tests, demo, bench and chaos allow <c>127.0.0.1/32</c>). Checked when a connection is
/// configured or added, and again at every connection the integrations' HTTP clients open
/// (<see cref="IntegrationHttpPipeline"/>), so neither a later DNS answer nor a connection announced on the bus gets past it.
/// </summary>
public sealed class IntegrationAddressPolicy
{
    public const string Section = "ReconMesh:Integrations";
    public const string AllowedHostsSection = Section + ":AllowedHosts";
    public const string AllowedPrivateNetworksKey = Section + ":AllowedPrivateNetworks";
    public const string MaxAnswerBytesKey = Section + ":MaxAnswerBytes";

    /// <summary>Larger than any page the integrations answer (a QuickBooks page of 1,000 invoices is a few megabytes).</summary>
    public const long DefaultMaxAnswerBytes = 16 * 1024 * 1024;

    /// <summary>
    /// The real services: QuickBooks Online's production and sandbox APIs; ConnectWise PSA's cloud sites and its staging
    /// site; Xero's API; Autotask's zone look-up (webservices.autotask.net) and its zones (webservices1…N.autotask.net).
    /// </summary>
    public static readonly IReadOnlyDictionary<IntegrationKind, string[]> DefaultHosts = new Dictionary<IntegrationKind, string[]>
    {
        [IntegrationKind.QuickBooksOnline] = ["quickbooks.api.intuit.com", "sandbox-quickbooks.api.intuit.com"],
        [IntegrationKind.ConnectWisePsa] =
        [
            "api-na.myconnectwise.net", "api-eu.myconnectwise.net", "api-au.myconnectwise.net",
            "na.myconnectwise.net", "eu.myconnectwise.net", "au.myconnectwise.net", "staging.connectwisedev.com",
        ],
        [IntegrationKind.Xero] = ["api.xero.com"],
        [IntegrationKind.AutotaskPsa] = ["webservices*.autotask.net"],
    };

    private readonly Dictionary<IntegrationKind, string[]> _hosts;
    private readonly IPNetwork[] _privateNetworks;

    public IntegrationAddressPolicy(IReadOnlyDictionary<IntegrationKind, string[]> hosts, IEnumerable<IPNetwork> allowedPrivateNetworks,
        long maxAnswerBytes = DefaultMaxAnswerBytes)
    {
        _hosts = hosts.ToDictionary(h => h.Key, h => h.Value.Select(v => v.Trim().TrimEnd('.').ToLowerInvariant()).Where(v => v.Length > 0).ToArray());
        _privateNetworks = [.. allowedPrivateNetworks];
        MaxAnswerBytes = maxAnswerBytes;
    }

    /// <summary>The most bytes an integration's answer may have; more fails the call (<see cref="IntegrationRefusedException"/>).</summary>
    public long MaxAnswerBytes { get; }

    /// <summary>Reads the settings; a malformed network or size stops the process with the setting named (<paramref name="problems"/>).</summary>
    public static IntegrationAddressPolicy FromConfiguration(IConfiguration configuration, out IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var errors = new List<string>();
        var hosts = new Dictionary<IntegrationKind, string[]>();
        foreach (var kind in Enum.GetValues<IntegrationKind>())
        {
            var configured = configuration[$"{AllowedHostsSection}:{kind}"];
            hosts[kind] = configured is null ? DefaultHosts.GetValueOrDefault(kind, []) : Split(configured);
        }

        var networks = new List<IPNetwork>();
        foreach (var entry in Split(configuration[AllowedPrivateNetworksKey]))
        {
            if (IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                errors.Add($"{AllowedPrivateNetworksKey}: '{entry}' is neither a CIDR range (e.g. 127.0.0.1/32) nor an address");
            }
        }

        var max = DefaultMaxAnswerBytes;
        if (configuration[MaxAnswerBytesKey] is { } text && (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out max) || max < 1024))
        {
            errors.Add($"{MaxAnswerBytesKey} must be a number of bytes, at least 1024");
            max = DefaultMaxAnswerBytes;
        }

        problems = errors;
        return new IntegrationAddressPolicy(hosts, networks, max);
    }

    /// <summary>Why <paramref name="host"/> may not be reached for <paramref name="kind"/>, or null when it may.</summary>
    public string? HostProblem(IntegrationKind kind, string host)
    {
        var name = host.Trim('[', ']').TrimEnd('.').ToLowerInvariant();
        var allowed = _hosts.GetValueOrDefault(kind, []);
        if (allowed.Any(entry => Matches(entry, name)))
        {
            return null;
        }

        return $"{host} is not an allowed {kind} host (allowed: {(allowed.Length == 0 ? "none" : string.Join(", ", allowed))}; " +
               $"setting {AllowedHostsSection}:{kind})";
    }

    /// <summary>Why <paramref name="address"/> (what <paramref name="host"/> resolved to) may not be reached, or null when it may.</summary>
    public string? AddressProblem(string host, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (AddressRanges.NotPublicKind(address) is not { } what || _privateNetworks.Any(n => n.Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address)))
        {
            return null;
        }

        var named = IPAddress.TryParse(host.Trim('[', ']'), out _) ? $"{address}" : $"{host} resolves to {address}, which";
        return $"{named} is {what}; integrations are reached on public addresses only, unless the range is allowed (setting {AllowedPrivateNetworksKey})";
    }

    /// <summary>
    /// The addresses to connect to for <paramref name="host"/>: its own when it is an address, else the DNS answer; every
    /// one must be allowed (a name that resolves to a public and a private address is refused, so DNS cannot pick).
    /// </summary>
    /// <exception cref="IntegrationRefusedException">The host or one of its addresses is not allowed.</exception>
    public async Task<IPAddress[]> AdmitAsync(IntegrationKind kind, string host, CancellationToken cancellationToken)
    {
        if (HostProblem(kind, host) is { } hostProblem)
        {
            throw new IntegrationRefusedException($"Refused to connect: {hostProblem}.");
        }

        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (addresses.Select(a => AddressProblem(host, a)).FirstOrDefault(p => p is not null) is { } addressProblem)
        {
            throw new IntegrationRefusedException($"Refused to connect: {addressProblem}.");
        }

        return addresses;
    }

    /// <summary>
    /// Why a connection of <paramref name="kind"/> at <paramref name="baseUrl"/> cannot be taken, or null: checked before
    /// a connection is added, so nothing is sent to a refused address. A name that does not resolve now is let through
    /// (the check at connect time still applies when it does).
    /// </summary>
    public async Task<string?> BaseUrlProblemAsync(IntegrationKind kind, Uri baseUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        try
        {
            await AdmitAsync(kind, baseUrl.Host, cancellationToken);
            return null;
        }
        catch (IntegrationRefusedException ex)
        {
            return ex.Message["Refused to connect: ".Length..];
        }
        catch (System.Net.Sockets.SocketException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether a host name (lower case) is the entry's: the same name; a subdomain of <c>*.domain</c>; or, for
    /// <c>prefix*.domain</c>, a name of exactly one more label in the domain that starts with the prefix (the star never
    /// spans a dot, so <c>webservices*.autotask.net</c> does not take <c>webservices.evil.example.autotask.net</c>).
    /// </summary>
    private static bool Matches(string entry, string name)
    {
        if (entry == name)
        {
            return true;
        }

        if (entry.StartsWith("*.", StringComparison.Ordinal))
        {
            return name.EndsWith(entry[1..], StringComparison.Ordinal);
        }

        var star = entry.IndexOf('*', StringComparison.Ordinal);
        var dot = entry.IndexOf('.', StringComparison.Ordinal);
        if (star < 0 || dot < star || entry.IndexOf('*', star + 1) >= 0)
        {
            return false;
        }

        var (prefix, domain) = (entry[..star], entry[dot..]);
        var suffix = entry[(star + 1)..dot];
        var label = name.EndsWith(domain, StringComparison.Ordinal) ? name[..^domain.Length] : null;
        return label is not null && !label.Contains('.', StringComparison.Ordinal) && label.Length >= prefix.Length + suffix.Length
            && label.StartsWith(prefix, StringComparison.Ordinal) && label.EndsWith(suffix, StringComparison.Ordinal);
    }

    private static string[] Split(string? value) =>
        (value ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
