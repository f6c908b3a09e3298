using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using ReconMesh.Contracts;
using ReconMesh.Integrations.Http;
using ReconMesh.Integrations.RateLimiting;

namespace ReconMesh.Integrations.Connections;

/// <summary>
/// The connections this deployment serves: those in configuration (<c>ReconMesh:Connections:N:*</c>; secrets belong
/// in environment variables or a secret store mounted as configuration, never in files in git), and those added
/// through InvoiceIngest's HTTP API (<see cref="ConnectionRegistration"/>, whose secrets are resolved from
/// configuration each time a connection is looked up, so a rotated secret is used at once). Shared by every part of
/// a process; <see cref="ConnectionRegistry"/> keeps the added ones in step with the process's store.
/// </summary>
public sealed class ConnectionCatalog
{
    public const string Section = "ReconMesh:Connections";

    private readonly Dictionary<Guid, ConnectionSettings> _configured;
    private readonly ConcurrentDictionary<Guid, ConnectionRegistration> _registered = new();
    private readonly IConfiguration _configuration;
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Func<Guid, CancellationToken, Task<ConnectionRegistration?>>? _load;

    public ConnectionCatalog(IEnumerable<ConnectionSettings> connections, IConfiguration? configuration = null)
    {
        _configured = connections.ToDictionary(c => c.Id);
        _configuration = configuration ?? new ConfigurationBuilder().Build();
    }

    /// <summary>Every connection that serves (none removed), added ones with their secrets as configured now.</summary>
    public IReadOnlyCollection<ConnectionSettings> All =>
        [.. _configured.Values, .. _registered.Values.Where(r => !_configured.ContainsKey(r.Id) && r.RemovedAt is null).Select(r => r.Resolve(_configuration))];

    /// <summary>The connections added through the API that this process knows, removed ones included (as the record of their removal).</summary>
    public IReadOnlyCollection<ConnectionRegistration> Registered => [.. _registered.Values];

    /// <summary>The connection, if it serves: a removed one is not found, so nothing syncs from it or writes to it.</summary>
    public ConnectionSettings? Find(Guid id) =>
        _configured.GetValueOrDefault(id) ?? (_registered.TryGetValue(id, out var added) && added.RemovedAt is null ? added.Resolve(_configuration) : null);

    /// <summary>The connection's registration if it was removed (as far as this process knows), else null.</summary>
    public ConnectionRegistration? Removed(Guid id) =>
        _registered.TryGetValue(id, out var added) && added.RemovedAt is not null ? added : null;

    /// <summary>
    /// Like <see cref="Find"/>, but a connection this process has not heard of yet is looked for in its store (another
    /// replica, or the message announcing it, may have been quicker than this process's last refresh).
    /// </summary>
    public async ValueTask<ConnectionSettings?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        if (Find(id) is { } known)
        {
            return known;
        }

        if (Removed(id) is not null)
        {
            return null;
        }

        if (_load is not { } load || await load(id, cancellationToken) is not { } registration)
        {
            return null;
        }

        Register(registration);
        return Find(id);
    }

    /// <summary>Where <see cref="FindAsync"/> looks for a connection it does not know.</summary>
    public void LoadMissingWith(Func<Guid, CancellationToken, Task<ConnectionRegistration?>> load) => _load = load;

    /// <summary>
    /// Adds a connection added through the API, or records its removal; true if that is new to this process (waking
    /// <see cref="WaitForChangeAsync"/>). A removed connection stays removed.
    /// </summary>
    public bool Register(ConnectionRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (_configured.ContainsKey(registration.Id) || !(_registered.TryAdd(registration.Id, registration) || Remove(registration)))
        {
            return false;
        }

        TaskCompletionSource changed;
        lock (_gate)
        {
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
        return true;
    }

    /// <summary>Replaces a serving registration with its removal.</summary>
    private bool Remove(ConnectionRegistration removal) =>
        removal.RemovedAt is not null && _registered.TryGetValue(removal.Id, out var current) && current.RemovedAt is null
        && _registered.TryUpdate(removal.Id, removal, current);

    /// <summary>Completes when a connection is next added or removed.</summary>
    public Task WaitForChangeAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _changed.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Reads and checks the connections; every problem is reported with the setting it concerns.</summary>
    public static ConnectionCatalog FromConfiguration(IConfiguration configuration, out IReadOnlyList<string> problems,
        IntegrationAddressPolicy? addresses = null)
    {
        addresses ??= IntegrationAddressPolicy.FromConfiguration(configuration, out _);
        var found = new List<ConnectionSettings>();
        var errors = new List<string>();
        foreach (var entry in configuration.GetSection(Section).GetChildren())
        {
            var at = $"{Section}:{entry.Key}";
            string? Value(string key) => entry[key];
            if (!Guid.TryParse(Value("Id"), out var id))
            {
                errors.Add($"{at}:Id must be a GUID");
                continue;
            }

            if (!Enum.TryParse<IntegrationKind>(Value("Kind"), ignoreCase: true, out var kind))
            {
                errors.Add($"{at}:Kind must be one of {string.Join(", ", Enum.GetNames<IntegrationKind>())}");
                continue;
            }

            var tenant = Value("TenantId");
            if (string.IsNullOrWhiteSpace(tenant))
            {
                errors.Add($"{at}:TenantId is missing");
            }

            if (!Uri.TryCreate(Value("BaseUrl"), UriKind.Absolute, out var baseUrl))
            {
                errors.Add($"{at}:BaseUrl must be an absolute URL");
            }
            else if (addresses.HostProblem(kind, baseUrl.Host) is { } hostProblem)
            {
                errors.Add($"{at}:BaseUrl: {hostProblem}");
            }

            if (kind == IntegrationKind.QuickBooksOnline)
            {
                if (string.IsNullOrWhiteSpace(Value("RealmId")))
                {
                    errors.Add($"{at}:RealmId is missing");
                }

                if (string.IsNullOrWhiteSpace(Value("AccessToken")))
                {
                    errors.Add($"{at}:AccessToken is missing");
                }
            }

            if (kind == IntegrationKind.Xero)
            {
                if (!Guid.TryParse(Value("XeroTenantId"), out _))
                {
                    errors.Add($"{at}:XeroTenantId must be the organisation's tenant id (a GUID)");
                }

                if (string.IsNullOrWhiteSpace(Value("AccessToken")))
                {
                    errors.Add($"{at}:AccessToken is missing");
                }

                if (string.IsNullOrWhiteSpace(Value("PaymentsAccountId")))
                {
                    errors.Add($"{at}:PaymentsAccountId is missing (the clearing account payments are recorded into, its Code or AccountID)");
                }
            }

            if (kind == IntegrationKind.ConnectWisePsa)
            {
                foreach (var (key, what) in new[]
                {
                    ("CompanyId", "the PSA login company"), ("PublicKey", "the API member's public key"),
                    ("PrivateKey", "the API member's private key"), ("ClientId", "the integration's clientId GUID"),
                })
                {
                    if (string.IsNullOrWhiteSpace(Value(key)))
                    {
                        errors.Add($"{at}:{key} is missing ({what}, required for ConnectWisePsa)");
                    }
                }

                if (Value("CompanyId")?.Contains('+', StringComparison.Ordinal) == true || Value("PublicKey")?.Contains(':', StringComparison.Ordinal) == true)
                {
                    errors.Add($"{at}:CompanyId cannot contain '+' and PublicKey cannot contain ':' (they form the Basic user name)");
                }
            }

            var zoneUrl = kind == IntegrationKind.AutotaskPsa ? AutotaskConfiguration.Check(Value, at, addresses, errors) : null;
            var poll = TimeSpan.TryParse(Value("PollInterval"), System.Globalization.CultureInfo.InvariantCulture, out var p) ? p : TimeSpan.FromSeconds(30);
            var reconcile = TimeSpan.TryParse(Value("ReconcileInterval"), System.Globalization.CultureInfo.InvariantCulture, out var r) ? r : TimeSpan.FromHours(1);
            found.Add(new ConnectionSettings
            {
                Id = id,
                TenantId = tenant ?? "",
                Kind = kind,
                BaseUrl = baseUrl,
                RealmId = kind == IntegrationKind.Xero ? (Guid.TryParse(Value("XeroTenantId"), out var xero) ? xero.ToString("D") : null) : Value("RealmId"),
                AccessToken = Value("AccessToken"),
                CompanyId = Value("CompanyId"),
                PublicKey = Value("PublicKey"),
                PrivateKey = Value("PrivateKey"),
                ClientId = Value("ClientId"),
                UserName = Value("UserName"),
                Secret = Value("Secret"),
                IntegrationCode = Value("IntegrationCode"),
                ZoneUrl = zoneUrl,
                Currency = Value("Currency")?.ToUpperInvariant(),
                BudgetSharePercent = int.TryParse(Value("BudgetSharePercent"), out var share) ? share : null,
                DepositAccountId = Value("DepositAccountId"),
                PaymentsAccountId = Value("PaymentsAccountId"),
                RecordDeposits = !string.IsNullOrWhiteSpace(Value("DepositAccountId"))
                    && !string.Equals(Value("RecordDeposits"), "false", StringComparison.OrdinalIgnoreCase),
                FeesAccountId = Value("FeesAccountId"),
                ReversalsAccountId = Value("ReversalsAccountId"),
                SecondaryConnectionId = Guid.TryParse(Value("SecondaryConnectionId"), out var secondary) ? secondary : null,
                SurchargeAccountId = Value("SurchargeAccountId"),
                PollInterval = poll,
                ReconcileInterval = reconcile,
                Limits = int.TryParse(Value("RequestsPerMinute"), out var rpm) && int.TryParse(Value("MaxConcurrent"), out var concurrent)
                    ? new ApiLimits(rpm, concurrent)
                    : null,
            });
        }

        found = Pair(found, errors);
        problems = errors;
        return new ConnectionCatalog(found, configuration);
    }

    /// <summary>Marks the connections other connections name as their secondary, checking each pairing.</summary>
    private static List<ConnectionSettings> Pair(List<ConnectionSettings> found, List<string> errors)
    {
        var byId = found.ToDictionary(c => c.Id);
        var secondaries = new HashSet<Guid>();
        foreach (var primary in found.Where(c => c.SecondaryConnectionId is not null))
        {
            var at = $"{Section} {primary.Id}:SecondaryConnectionId";
            if (!byId.TryGetValue(primary.SecondaryConnectionId!.Value, out var secondary))
            {
                errors.Add($"{at} names no configured connection");
            }
            else if (secondary.TenantId != primary.TenantId || !ConnectionSettings.CanBeSecondary(secondary.Kind)
                || !ConnectionSettings.CanBePrimary(primary.Kind) || secondary.SecondaryConnectionId is not null)
            {
                errors.Add($"{at}: a ConnectWisePsa or AutotaskPsa connection can be paired with a QuickBooksOnline or Xero connection of the same tenant, one level deep");
            }
            else if (!secondaries.Add(secondary.Id))
            {
                errors.Add($"{at}: connection {secondary.Id} is already another connection's secondary");
            }
        }

        return [.. found.Select(c => secondaries.Contains(c.Id) ? c with { IsSecondary = true } : c)];
    }
}
