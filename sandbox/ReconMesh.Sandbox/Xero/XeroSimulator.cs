using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ReconMesh.Sandbox.Xero;

/// <summary>
/// The in-memory Xero Accounting API simulator: every organisation (tenant), and which bearer tokens are connected to
/// which organisations (one token may reach several, as a Xero connection does). Registered as a singleton by
/// <see cref="XeroSimulatorExtensions.AddXeroSimulator"/>; the HTTP surface is mapped by
/// <see cref="XeroSimulatorExtensions.MapXeroSimulator"/>.
/// </summary>
public sealed class XeroSimulator
{
    private readonly ConcurrentDictionary<Guid, XeroOrganisation> _organisations = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, byte>> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _expired = new(StringComparer.Ordinal);
    private readonly XeroSimulatorOptions _options;
    private readonly TimeProvider _time;

    public XeroSimulator(IOptions<XeroSimulatorOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
        if (!Guid.TryParse(_options.TenantId, out var tenantId) || string.IsNullOrWhiteSpace(_options.AccessToken))
        {
            throw new InvalidOperationException($"{XeroSimulatorOptions.SectionName}:TenantId must be a GUID and :AccessToken must not be empty.");
        }

        if (_options.RequestsPerMinute < 0 || _options.MaxConcurrent < 0 || _options.RequestsPerDay < 0 || _options.AppRequestsPerMinute < 0)
        {
            throw new InvalidOperationException($"{XeroSimulatorOptions.SectionName}: the limits must be 0 (off) or more.");
        }

        if (_options.IdempotencyCapacity < 0 || _options.IdempotencyRetentionMinutes < 1)
        {
            throw new InvalidOperationException($"{XeroSimulatorOptions.SectionName}:IdempotencyCapacity must be 0 or more and :IdempotencyRetentionMinutes 1 or more.");
        }

        AppThrottle = new XeroThrottle(_options.AppRequestsPerMinute, 0, 0, time);
        DefaultTenantId = tenantId;
        CreateOrganisation(tenantId, _options.AccessToken.Trim(), "Sandbox Organisation", "USD");
    }

    /// <summary>Tenant id of the organisation that exists from start.</summary>
    public Guid DefaultTenantId { get; }

    public IReadOnlyCollection<Guid> TenantIds => [.. _organisations.Keys];

    internal bool IdempotencyKeys => _options.IdempotencyKeys;

    /// <summary>The app-wide minute window (reported in <c>X-AppMinLimit-Remaining</c>, not enforced).</summary>
    internal XeroThrottle AppThrottle { get; }

    /// <summary>Adds an organisation with the default accounts and connects the token to it; false when it exists.</summary>
    public bool CreateOrganisation(Guid tenantId, string accessToken, string name, string baseCurrency,
        int? requestsPerMinute = null, int? maxConcurrent = null, int? requestsPerDay = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accessToken);
        var throttle = new XeroThrottle(requestsPerMinute ?? _options.RequestsPerMinute, maxConcurrent ?? _options.MaxConcurrent,
            requestsPerDay ?? _options.RequestsPerDay, _time);
        var idempotency = new XeroIdempotencyCache(_options.IdempotencyCapacity, TimeSpan.FromMinutes(_options.IdempotencyRetentionMinutes), _time);
        if (!_organisations.TryAdd(tenantId, new XeroOrganisation(tenantId.ToString("D"), name, baseCurrency, throttle, idempotency, _time)))
        {
            return false;
        }

        Connect(accessToken, tenantId);
        return true;
    }

    /// <summary>Lets a token reach an organisation (a user who connects one more organisation to the app).</summary>
    public void Connect(string accessToken, Guid tenantId) =>
        _connections.GetOrAdd(accessToken, _ => new ConcurrentDictionary<Guid, byte>()).TryAdd(tenantId, 0);

    /// <summary>Cuts an organisation off from a token (the user disconnects it): its calls get 403 from then on.</summary>
    public bool Disconnect(string accessToken, Guid tenantId) =>
        _connections.TryGetValue(accessToken, out var tenants) && tenants.TryRemove(tenantId, out _);

    /// <summary>Sets an organisation's limits (null keeps one, 0 turns it off); false for an unknown tenant.</summary>
    public bool Configure(Guid tenantId, int? requestsPerMinute, int? maxConcurrent, int? requestsPerDay)
    {
        var organisation = Find(tenantId);
        organisation?.Throttle.Configure(requestsPerMinute, maxConcurrent, requestsPerDay);
        return organisation is not null;
    }

    public XeroBooks? GetBooks(Guid tenantId)
    {
        var organisation = Find(tenantId);
        if (organisation is null)
        {
            return null;
        }

        lock (organisation.Gate)
        {
            return XeroBookKeeper.Books(organisation);
        }
    }

    /// <summary>Makes a token expire now, as a Xero access token does after 30 minutes: its calls get 401 TokenExpired.</summary>
    public bool ExpireToken(string accessToken) => _connections.ContainsKey(accessToken) && _expired.TryAdd(accessToken, _time.GetUtcNow());

    internal bool IsKnownToken(string token) => _connections.ContainsKey(token);

    internal DateTimeOffset? ExpiredAt(string token) => _expired.TryGetValue(token, out var at) ? at : null;

    internal bool IsConnected(string token, Guid tenantId) =>
        _connections.TryGetValue(token, out var tenants) && tenants.ContainsKey(tenantId);

    internal XeroOrganisation? Find(Guid tenantId) => _organisations.GetValueOrDefault(tenantId);

    /// <summary>Every organisation's pending webhook events, taken (each under its organisation's lock).</summary>
    internal List<XeroWebhookEvent> TakeEvents()
    {
        var events = new List<XeroWebhookEvent>();
        foreach (var organisation in _organisations.Values)
        {
            lock (organisation.Gate)
            {
                events.AddRange(organisation.DrainEvents());
            }
        }

        return events;
    }
}
