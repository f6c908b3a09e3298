using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>
/// The in-memory ConnectWise PSA (Manage REST API 3.0) simulator: every site and its data. Registered as a singleton
/// by <see cref="ConnectWiseSimulatorExtensions.AddConnectWiseSimulator"/>; the HTTP surface is mapped by
/// <see cref="ConnectWiseSimulatorExtensions.MapConnectWiseSimulator"/>.
/// </summary>
public sealed class ConnectWiseSimulator
{
    private readonly ConcurrentDictionary<string, CwSite> _sites = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConnectWiseSimulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly CwCallbackDispatcher _dispatcher;

    internal ConnectWiseSimulator(IOptions<ConnectWiseSimulatorOptions> options, TimeProvider time, CwCallbackDispatcher dispatcher)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
        _dispatcher = dispatcher;
        if (string.IsNullOrWhiteSpace(_options.CompanyId) || string.IsNullOrWhiteSpace(_options.PublicKey)
            || string.IsNullOrWhiteSpace(_options.PrivateKey) || string.IsNullOrWhiteSpace(_options.ClientId))
        {
            throw new InvalidOperationException($"{ConnectWiseSimulatorOptions.SectionName}:CompanyId, :PublicKey, :PrivateKey and :ClientId must not be empty.");
        }

        if (_options.RequestsPerMinute < 0)
        {
            throw new InvalidOperationException($"{ConnectWiseSimulatorOptions.SectionName}:RequestsPerMinute must be 0 (off) or more.");
        }

        DefaultCompanyId = _options.CompanyId.Trim();
        CreateSite(DefaultCompanyId, _options.PublicKey.Trim(), _options.PrivateKey.Trim(), _options.ClientId.Trim());
    }

    /// <summary>Company id of the site that exists from start.</summary>
    public string DefaultCompanyId { get; }

    /// <summary>Company ids of every site, in no particular order.</summary>
    public IReadOnlyCollection<string> CompanyIds => [.. _sites.Keys];

    /// <summary>
    /// Adds a site with the default billing statuses (1 New, 2 Sent, 3 Closed, 4 Inactive). The rate limit defaults
    /// to the configured one. Returns false when the company id is taken (company ids are case-insensitive).
    /// </summary>
    public bool CreateSite(string companyId, string publicKey, string privateKey, string clientId, int? requestsPerMinute = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companyId);
        ArgumentException.ThrowIfNullOrWhiteSpace(publicKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(privateKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        var throttle = new CwThrottle(requestsPerMinute ?? _options.RequestsPerMinute, _time);
        return _sites.TryAdd(companyId, new CwSite(companyId, publicKey, privateKey, clientId, throttle, _time, _dispatcher));
    }

    public bool SiteExists(string companyId) => _sites.ContainsKey(companyId);

    /// <summary>The site's invoices, payments and request counters; null for an unknown site.</summary>
    public CwBooks? GetBooks(string companyId)
    {
        var site = Find(companyId);
        if (site is null)
        {
            return null;
        }

        lock (site.Gate)
        {
            return site.Books();
        }
    }

    internal CwSite? Find(string? companyId) =>
        companyId is not null && _sites.TryGetValue(companyId, out var site) ? site : null;

    internal CwSite? FindBySigningKey(string keyId) =>
        _sites.Values.FirstOrDefault(s => string.Equals(s.SigningKeyId, keyId, StringComparison.OrdinalIgnoreCase));
}
