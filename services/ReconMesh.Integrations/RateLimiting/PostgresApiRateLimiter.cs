using Npgsql;

namespace ReconMesh.Integrations.RateLimiting;

/// <summary>
/// The limiter's state lives in PostgreSQL, shared by all replicas of all services that call an integration:
/// the pace is a GCRA "theoretical arrival time" per key, advanced atomically; concurrency is a set of leased
/// slots per key, each lease expiring on its own if its holder dies mid-request.
/// </summary>
public sealed class PostgresApiRateLimiter : IApiRateLimiter, IAsyncDisposable
{
    public const string Schema = "reconmesh_limits";
    private static readonly TimeSpan LeaseTime = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan SlotPoll = TimeSpan.FromMilliseconds(25);

    private readonly NpgsqlDataSource _db;
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private volatile bool _schemaReady;

    public PostgresApiRateLimiter(string connectionString)
    {
        // A small pool of its own: each admission is one short statement.
        _db = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 8 }.ConnectionString);
    }

    public async ValueTask<IAsyncDisposable> AcquireAsync(string key, ApiLimits limits, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        var holder = Guid.NewGuid();
        var slot = -1;
        if (limits.MaxConcurrent > 0)
        {
            slot = await LeaseSlotAsync(key, limits.MaxConcurrent, holder, cancellationToken);
        }

        try
        {
            if (limits.RequestsPerMinute > 0)
            {
                await PaceAsync(key, limits, cancellationToken);
            }
        }
        catch
        {
            await ReleaseAsync(key, slot, holder);
            throw;
        }

        return new Lease(this, key, slot, holder);
    }

    public async ValueTask<ApiLimitUse?> UseAsync(string key, ApiLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limits);
        await EnsureSchemaAsync(cancellationToken);
        await using var command = _db.CreateCommand(
            $"select (select count(*)::int from {Schema}.slots where key = @key and slot < @slots and holder is not null and expires_at > clock_timestamp()), " +
            $"(select greatest(tat - clock_timestamp(), interval '0') from {Schema}.pace where key = @key)");
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("slots", limits.MaxConcurrent);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var inFlight = reader.GetInt32(0);
        var ahead = reader.IsDBNull(1) || limits.Interval <= TimeSpan.Zero
            ? 0
            : (int)Math.Ceiling(reader.GetFieldValue<TimeSpan>(1) / limits.Interval);
        return new ApiLimitUse(inFlight, ahead);
    }

    public ValueTask DisposeAsync() => _db.DisposeAsync();

    private async Task PaceAsync(string key, ApiLimits limits, CancellationToken cancellationToken)
    {
        while (true)
        {
            await using var command = _db.CreateCommand($"select {Schema}.take(@key, @interval, @tolerance)");
            command.Parameters.AddWithValue("key", key);
            command.Parameters.AddWithValue("interval", limits.Interval);
            command.Parameters.AddWithValue("tolerance", limits.Interval * limits.Burst);
            var wait = (TimeSpan)(await command.ExecuteScalarAsync(cancellationToken))!;
            if (wait <= TimeSpan.Zero)
            {
                return;
            }

            await Task.Delay(wait, cancellationToken);
        }
    }

    private async Task<int> LeaseSlotAsync(string key, int slots, Guid holder, CancellationToken cancellationToken)
    {
        while (true)
        {
            await using var command = _db.CreateCommand($"select {Schema}.lease(@key, @slots, @holder, @lease)");
            command.Parameters.AddWithValue("key", key);
            command.Parameters.AddWithValue("slots", slots);
            command.Parameters.AddWithValue("holder", holder);
            command.Parameters.AddWithValue("lease", LeaseTime);
            var slot = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
            if (slot >= 0)
            {
                return slot;
            }

            await Task.Delay(SlotPoll, cancellationToken);
        }
    }

    private async Task ReleaseAsync(string key, int slot, Guid holder)
    {
        if (slot < 0)
        {
            return;
        }

        await using var command = _db.CreateCommand(
            $"update {Schema}.slots set holder = null, expires_at = null where key = @key and slot = @slot and holder = @holder");
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("slot", slot);
        command.Parameters.AddWithValue("holder", holder);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (_schemaReady)
        {
            return;
        }

        await _schemaGate.WaitAsync(cancellationToken);
        try
        {
            if (_schemaReady)
            {
                return;
            }

            await using var connection = await _db.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // Serialise schema creation between processes starting at once.
            await using (var lockCommand = new NpgsqlCommand("select pg_advisory_xact_lock(7416002)", connection, transaction))
            {
                await lockCommand.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var create = new NpgsqlCommand(SchemaSql, connection, transaction))
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            _schemaReady = true;
        }
        finally
        {
            _schemaGate.Release();
        }
    }

    private const string SchemaSql = $"""
        create schema if not exists {Schema};
        create table if not exists {Schema}.pace (key text primary key, tat timestamptz not null);
        create table if not exists {Schema}.slots (key text not null, slot int not null, holder uuid, expires_at timestamptz,
            primary key (key, slot));

        -- GCRA: admit when the theoretical arrival time, less the burst tolerance, is not in the future.
        -- Returns zero when admitted (and advances the arrival time), else how long to wait.
        create or replace function {Schema}.take(k text, step interval, tolerance interval) returns interval
        language plpgsql as $$
        declare
            now_ts timestamptz := clock_timestamp();
            base timestamptz;
        begin
            insert into {Schema}.pace(key, tat) values (k, now_ts) on conflict (key) do nothing;
            select greatest(tat, now_ts) into base from {Schema}.pace where key = k for update;
            if base - tolerance <= now_ts then
                update {Schema}.pace set tat = base + step where key = k;
                return interval '0';
            end if;
            return base - tolerance - now_ts;
        end $$;

        -- Leases a free (or expired) slot out of n; returns its number, or -1 when all are held.
        create or replace function {Schema}.lease(k text, n int, who uuid, lease_for interval) returns int
        language plpgsql as $$
        declare
            now_ts timestamptz := clock_timestamp();
            chosen int;
        begin
            insert into {Schema}.slots(key, slot) select k, s from generate_series(0, n - 1) s on conflict do nothing;
            select slot into chosen from {Schema}.slots
                where key = k and slot < n and (holder is null or expires_at < now_ts)
                order by slot limit 1 for update skip locked;
            if chosen is null then
                return -1;
            end if;
            update {Schema}.slots set holder = who, expires_at = now_ts + lease_for where key = k and slot = chosen;
            return chosen;
        end $$;
        """;

    private sealed class Lease(PostgresApiRateLimiter limiter, string key, int slot, Guid holder) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => new(limiter.ReleaseAsync(key, slot, holder));
    }
}
