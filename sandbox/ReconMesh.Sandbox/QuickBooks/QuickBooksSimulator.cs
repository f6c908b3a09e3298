using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>
/// The in-memory QuickBooks Online simulator: every company (realm) and its ledger. Registered as a singleton by
/// <see cref="QuickBooksSimulatorExtensions.AddQuickBooksSimulator"/>; the HTTP surface is mapped by
/// <see cref="QuickBooksSimulatorExtensions.MapQuickBooksSimulator"/>.
/// </summary>
public sealed class QuickBooksSimulator
{
    private readonly ConcurrentDictionary<string, QboCompany> _companies = new(StringComparer.Ordinal);
    private readonly QuickBooksSimulatorOptions _options;

    public QuickBooksSimulator(IOptions<QuickBooksSimulatorOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        if (string.IsNullOrWhiteSpace(_options.RealmId) || string.IsNullOrWhiteSpace(_options.AccessToken))
        {
            throw new InvalidOperationException($"{QuickBooksSimulatorOptions.SectionName}:RealmId and :AccessToken must not be empty.");
        }

        if (_options.RequestsPerMinute < 0 || _options.MaxConcurrent < 0)
        {
            throw new InvalidOperationException($"{QuickBooksSimulatorOptions.SectionName}:RequestsPerMinute and :MaxConcurrent must be 0 (off) or more.");
        }

        if (_options.RequestIdCapacity < 0 || _options.RequestIdRetentionMinutes < 1)
        {
            throw new InvalidOperationException($"{QuickBooksSimulatorOptions.SectionName}:RequestIdCapacity must be 0 or more and :RequestIdRetentionMinutes 1 or more.");
        }

        Clock = new QboClock(time, QboClock.ResolveZone(_options.TimeZone));
        DefaultRealmId = _options.RealmId.Trim();
        CreateCompany(DefaultRealmId, _options.AccessToken.Trim());
    }

    /// <summary>Realm id of the company that exists from start.</summary>
    public string DefaultRealmId { get; }

    /// <summary>Realm ids of every company, in no particular order.</summary>
    public IReadOnlyCollection<string> RealmIds => [.. _companies.Keys];

    internal QboClock Clock { get; }

    /// <summary>
    /// Adds a company with the default accounts (Services 1, Undeposited Funds 4, Checking 35) and item (Services 1).
    /// The limits default to the configured ones. Returns false when the realm already exists.
    /// </summary>
    public bool CreateCompany(string realmId, string accessToken, int? requestsPerMinute = null, int? maxConcurrent = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(realmId);
        ArgumentException.ThrowIfNullOrWhiteSpace(accessToken);
        var throttle = new QboThrottle(requestsPerMinute ?? _options.RequestsPerMinute, maxConcurrent ?? _options.MaxConcurrent, Clock.Time);
        var replays = new QboReplayCache(_options.RequestIdCapacity, TimeSpan.FromMinutes(_options.RequestIdRetentionMinutes), Clock.Time);
        return _companies.TryAdd(realmId, new QboCompany(realmId, accessToken, Clock, throttle, replays));
    }

    public bool CompanyExists(string realmId) => _companies.ContainsKey(realmId);

    /// <summary>The company's invoices and payments (deleted and voided included) and its request counters; null for an unknown realm.</summary>
    public QboBooks? GetBooks(string realmId)
    {
        var company = Find(realmId);
        if (company is null)
        {
            return null;
        }

        using (company.Reading())
        {
            return company.Books();
        }
    }

    /// <summary>The company's Payments in creation order with the moment each was created (see <see cref="QboBooking"/>); null for an unknown realm.</summary>
    public IReadOnlyList<QboBooking>? GetBookings(string realmId, int from, int max)
    {
        var company = Find(realmId);
        if (company is null)
        {
            return null;
        }

        using (company.Reading())
        {
            return company.Bookings(from, max);
        }
    }

    /// <summary>Creates customers and open invoices deterministically for a seed; null for an unknown realm.</summary>
    public QboSeedResult? Seed(string realmId, QboSeedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var company = Find(realmId);
        if (company is null)
        {
            return null;
        }

        using (company.Writing())
        {
            return QboSeeder.Seed(company, request);
        }
    }

    /// <summary>
    /// Makes the next <paramref name="count"/> updates, voids or deletes of <paramref name="entity"/> records in the
    /// company meet an edit a person saved just before them, so they get 5010 as in the real service. Null for an
    /// unknown realm; otherwise how many such edits are pending.
    /// </summary>
    public int? ArmConcurrentEdits(string realmId, string entity, int count)
    {
        var company = Find(realmId);
        if (company is null)
        {
            return null;
        }

        using (company.Writing())
        {
            return company.ArmConcurrentEdits(entity, count);
        }
    }

    /// <summary>The changes made to a company since they were last taken (for webhooks).</summary>
    internal IReadOnlyList<QboChange> TakeChanges(string realmId)
    {
        var company = Find(realmId);
        if (company is null)
        {
            return [];
        }

        using (company.Writing())
        {
            return company.DrainChanges();
        }
    }

    internal QboCompany? Find(string? realmId) =>
        realmId is not null && _companies.TryGetValue(realmId, out var company) ? company : null;
}
