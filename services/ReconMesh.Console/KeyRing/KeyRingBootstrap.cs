using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace ReconMesh.OperatorConsole.KeyRing;

/// <summary>
/// The first key, made by one replica only. Left to itself, each replica that finds the ring empty makes a key of its
/// own and protects with it at once, and the others learn of it only when they next read the ring (up to a day later):
/// a cookie made by one would meanwhile be refused by the others. Before the console listens, each replica takes a
/// PostgreSQL advisory lock, makes a key only if none is usable now, and lets go; later keys are made by ASP.NET Core
/// two days before they are used, which every replica learns of in time.
/// </summary>
internal sealed class KeyRingBootstrap(KeyRingDatabase database, IKeyManager keys, TimeProvider time, ILogger<KeyRingBootstrap> log) : IHostedService
{
    /// <summary>The advisory lock's key: any fixed number no other lock of this database uses ("RMkeyrng").</summary>
    private const long LockKey = 0x524D_6B65_7972_6E67;

    /// <summary>How long a first key is used before ASP.NET Core's own rotation replaces it (its default lifetime).</summary>
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(90);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using (var take = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_lock({LockKey})", connection))
        {
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            var now = time.GetUtcNow();
            if (!keys.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now))
            {
                var key = keys.CreateNewKey(now, now + Lifetime);
                if (log.IsEnabled(LogLevel.Information))
                {
                    log.LogInformation("The console's key ring was empty: made key {KeyId}, used until {Expires:u}", key.KeyId, key.ExpirationDate);
                }
            }
        }
        finally
        {
            await using var release = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_unlock({LockKey})", connection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
