using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using ReconMesh.Integrations.ConnectWise;
using ReconMesh.Integrations.Connections;

namespace ReconMesh.InvoiceIngest.Webhooks;

/// <summary>
/// The signing keys of ConnectWise callbacks, fetched from the connection's own site by key id and kept: a key id names
/// one key for good. A key id ConnectWise does not have is remembered as unknown for <see cref="UnknownFor"/>, so a
/// callback forged again with it costs no request to ConnectWise (and none of the connection's rate limit). Both
/// memories are bounded; the callback's rate limit bounds how many new key ids anyone can try.
/// </summary>
public sealed class ConnectWiseCallbackKeys(ConnectWiseClientFactory clients, TimeProvider clock)
{
    public static readonly TimeSpan UnknownFor = TimeSpan.FromMinutes(10);
    private const int MaxRemembered = 10_000;

    private readonly ConcurrentDictionary<(Guid Connection, string KeyId), byte[]> _known = new();
    private readonly ConcurrentDictionary<(Guid Connection, string KeyId), DateTimeOffset> _unknown = new();

    /// <summary>SHA256 of the signing key, or null when ConnectWise has no key of that id (said so now, or within <see cref="UnknownFor"/>).</summary>
    /// <exception cref="ConnectWiseException">ConnectWise could not be asked, or answered an error other than "not found".</exception>
    public async Task<byte[]?> FindAsync(ConnectionSettings connection, string keyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var entry = (connection.Id, keyId);
        if (_known.TryGetValue(entry, out var known))
        {
            return known;
        }

        if (_unknown.TryGetValue(entry, out var since) && clock.GetUtcNow() - since < UnknownFor)
        {
            return null;
        }

        ConnectWiseCallbackKey answer;
        try
        {
            answer = await ConnectWiseException.Call(() => clients.Create(connection).GetCallbackKeyAsync(keyId, cancellationToken));
        }
        catch (ConnectWiseException ex) when (ex.IsNotFound)
        {
            RememberUnknown(entry);
            return null;
        }

        if (string.IsNullOrEmpty(answer.SigningKey))
        {
            RememberUnknown(entry);
            return null;
        }

        var key = SHA256.HashData(Encoding.UTF8.GetBytes(answer.SigningKey));
        if (_known.Count < MaxRemembered)
        {
            _known[entry] = key;
        }

        _unknown.TryRemove(entry, out _);
        return key;
    }

    private void RememberUnknown((Guid, string) entry)
    {
        var now = clock.GetUtcNow();
        if (_unknown.Count >= MaxRemembered)
        {
            foreach (var stale in _unknown.Where(u => now - u.Value >= UnknownFor).Select(u => u.Key).ToList())
            {
                _unknown.TryRemove(stale, out _);
            }

            if (_unknown.Count >= MaxRemembered)
            {
                _unknown.Clear(); // all fresh: someone is trying key ids in bulk, which the rate limit slows
            }
        }

        _unknown[entry] = now;
    }
}
