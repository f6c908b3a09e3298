using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace ReconMesh.Sandbox.Autotask;

/// <summary>
/// The in-memory Autotask PSA REST API simulator: every database (a partner's Autotask instance) and its API users.
/// A user name is unique across databases, as Autotask's zone look-up by user requires. Registered as a singleton by
/// <see cref="AutotaskSimulatorExtensions.AddAutotaskSimulator"/>.
/// </summary>
public sealed class AutotaskSimulator
{
    public const int MaxCredentialLength = 256;

    private readonly ConcurrentDictionary<string, AutotaskDatabase> _databases = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, AutotaskApiUser> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _createGate = new();
    private readonly AutotaskSimulatorOptions _options;
    private readonly TimeProvider _time;
    private int _nextCi = 1;

    public AutotaskSimulator(IOptions<AutotaskSimulatorOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
        if (_options.RequestsPerHour < 0 || _options.ThreadsPerEndpoint < 0 || _options.HalfUseLatencyMs < 0 || _options.ThreeQuarterUseLatencyMs < 0)
        {
            throw new InvalidOperationException($"{AutotaskSimulatorOptions.SectionName}: the limits and latencies must be 0 (off) or more.");
        }

        if (CreateDatabase(_options.DatabaseId, _options.UserName, _options.Secret, _options.IntegrationCode) is { } problem)
        {
            throw new InvalidOperationException($"{AutotaskSimulatorOptions.SectionName}: {problem}");
        }
    }

    public string DefaultDatabaseId => _options.DatabaseId;

    public IReadOnlyCollection<string> DatabaseIds => [.. _databases.Keys];

    internal string ZoneName => _options.ZoneName;

    /// <summary>Adds a database with its first API user; the problem when it cannot (null when created).</summary>
    public string? CreateDatabase(string databaseId, string userName, string secret, string integrationCode,
        int? requestsPerHour = null, int? threadsPerEndpoint = null)
    {
        if (!Valid(databaseId) || !Valid(userName) || !Valid(secret) || !Valid(integrationCode))
        {
            return $"databaseId, userName, secret and integrationCode must be 1 to {MaxCredentialLength} characters.";
        }

        if (requestsPerHour < 0 || threadsPerEndpoint < 0)
        {
            return "The limits must be 0 (off) or more.";
        }

        lock (_createGate)
        {
            if (_databases.ContainsKey(databaseId))
            {
                return $"Database {databaseId} already exists.";
            }

            if (_users.ContainsKey(userName))
            {
                return $"User {userName} already exists.";
            }

            var throttle = new AutotaskThrottle(requestsPerHour ?? _options.RequestsPerHour, threadsPerEndpoint ?? _options.ThreadsPerEndpoint,
                _options.HalfUseLatencyMs, _options.ThreeQuarterUseLatencyMs, _time);
            _databases[databaseId] = new AutotaskDatabase(databaseId, _nextCi++, throttle, _time);
            _users[userName] = new AutotaskApiUser(userName, secret, integrationCode, databaseId);
            return null;
        }
    }

    /// <summary>Adds one more API user (another integration) to a database: it shares the database's hourly threshold.</summary>
    public string? AddUser(string databaseId, string userName, string secret, string integrationCode)
    {
        if (!Valid(userName) || !Valid(secret) || !Valid(integrationCode))
        {
            return $"userName, secret and integrationCode must be 1 to {MaxCredentialLength} characters.";
        }

        lock (_createGate)
        {
            if (!_databases.ContainsKey(databaseId))
            {
                return null;
            }

            return _users.TryAdd(userName, new AutotaskApiUser(userName, secret, integrationCode, databaseId)) ? null : $"User {userName} already exists.";
        }
    }

    /// <summary>Sets a database's limits (null keeps one, 0 turns it off); false for an unknown database.</summary>
    public bool Configure(string databaseId, int? requestsPerHour, int? threadsPerEndpoint, int? halfUseLatencyMs, int? threeQuarterUseLatencyMs)
    {
        var database = Find(databaseId);
        database?.Throttle.Configure(requestsPerHour, threadsPerEndpoint, halfUseLatencyMs, threeQuarterUseLatencyMs);
        return database is not null;
    }

    /// <summary>The database's invoices, counts and limits as the admin API reports them; null for an unknown database.</summary>
    public JsonObject? GetBooks(string databaseId) => Find(databaseId) is { } database ? AutotaskBooks.Of(database, UsersOf(databaseId)) : null;

    internal AutotaskApiUser? User(string userName) => _users.GetValueOrDefault(userName);

    internal AutotaskDatabase? Find(string databaseId) => _databases.GetValueOrDefault(databaseId);

    internal IReadOnlyList<AutotaskApiUser> UsersOf(string databaseId) =>
        [.. _users.Values.Where(u => string.Equals(u.DatabaseId, databaseId, StringComparison.OrdinalIgnoreCase)).OrderBy(u => u.UserName, StringComparer.Ordinal)];

    private static bool Valid(string? text) => !string.IsNullOrWhiteSpace(text) && text.Length <= MaxCredentialLength && text.Trim() == text;
}
