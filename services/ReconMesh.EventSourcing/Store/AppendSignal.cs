using System.Text.RegularExpressions;
using JasperFx.Events.Daemon.HighWater;
using Marten;
using Marten.Events.Daemon.HighWater;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ReconMesh.EventSourcing.Store;

/// <summary>
/// Wakes a service's relay when, and only when, that service appends events: a PostgreSQL notification on a channel
/// of the store's own (<c>{schema}_events_appended</c>), sent in the appending transaction, so it arrives at commit.
/// <para>
/// Why not Marten's own <c>UseListenNotifyForEventAppends</c>: it notifies one channel for every store in the database
/// (<c>mt_events_appended</c>), so each append in any of the three services woke all three relays, and each woken relay
/// asked PostgreSQL for its high-water mark again: at 100 payments/s the bench counted 2.77 such reads a payment,
/// 1.4-1.65 with a channel per store (docs/benchmarks.md, session 18).
/// </para>
/// </summary>
public static partial class AppendSignal
{
    /// <summary>The notification channel of the store in <paramref name="schema"/>.</summary>
    public static string ChannelOf(string schema)
    {
        var channel = $"{schema.ToLowerInvariant()}_events_appended";
        if (!SimpleIdentifier().IsMatch(channel))
        {
            throw new ArgumentException($"Schema '{schema}' does not make a PostgreSQL channel name (letters, digits and _, at most 63).", nameof(schema));
        }

        return channel;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SimpleIdentifier();

    /// <summary>Queues the notification in every session that appends events; a session without events sends none.</summary>
    internal sealed class Notifier(string channel) : DocumentSessionListenerBase
    {
        public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
        {
            if (session.PendingChanges.Streams().Any())
            {
                // PostgreSQL folds identical notifications of one transaction into one.
                session.QueueSqlCommand("select pg_notify(?, '')", channel);
            }

            return Task.CompletedTask;
        }
    }

    /// <summary>
    /// What the async daemon's high-water agent waits on between polls: Marten's LISTEN wake-up, on this store's channel,
    /// over a data source of its own (one connection, opened by the replica that leads the daemon), followed by the
    /// service's gather (<see cref="GatheringWakeup"/>). Polling at the daemon's own intervals goes on underneath, so a
    /// lost notification delays a relay, never strands it.
    /// </summary>
    public sealed class Wakeup : IDaemonWakeup
    {
        private readonly NpgsqlDataSource _dataSource;
        private readonly GatheringWakeup _wakeup;

        public Wakeup(string connectionString, string schema, TimeSpan gather, ILogger<Wakeup> logger)
        {
            _dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MinPoolSize = 0, MaxPoolSize = 1 }.ConnectionString);
            _wakeup = new GatheringWakeup(new PostgresqlListenWakeup(_dataSource, logger, ChannelOf(schema)), gather, TimeProvider.System);
        }

        public Task WaitAsync(TimeSpan timeout, CancellationToken token) => _wakeup.WaitAsync(timeout, token);

        public void Dispose()
        {
            _wakeup.Dispose();
            _dataSource.Dispose();
        }
    }
}
