using Microsoft.IdentityModel.Tokens;
using ReconMesh.ServiceDefaults.Hosting;

namespace ReconMesh.ServiceDefaults.Security;

/// <summary>
/// The signing keys of a JSON Web Key Set file, re-read when the file changes, so a key rotated in a mounted Secret
/// or ConfigMap (the new key added beside the old, then the old removed) is used without a restart. A file that
/// cannot be read keeps the keys last read; at start it must be readable.
/// </summary>
public sealed class JwksFileKeys
{
    private readonly string _path;
    private volatile Snapshot _current;

    private sealed record Snapshot(DateTime WrittenAt, IReadOnlyList<SecurityKey> Keys);

    public JwksFileKeys(string path)
    {
        _path = path;
        _current = Load(path);
    }

    /// <summary>
    /// The keys of <see cref="ApiSecuritySettings.JwksFile"/>, or null when the settings name an authority instead; a file
    /// that cannot be read stops the process (exit code 2) naming the setting.
    /// </summary>
    public static JwksFileKeys? OpenOrExit(ApiSecuritySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.JwksFile is not { } file)
        {
            return null;
        }

        try
        {
            return new JwksFileKeys(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            RequiredSettings.Fail($"'{ApiSecuritySettings.JwksFileKey}' names {file}, which is not a readable JSON Web Key Set: {ex.Message}");
            return null; // not reached
        }
    }

    /// <summary>The keys tokens may be signed with now.</summary>
    public IReadOnlyList<SecurityKey> Current
    {
        get
        {
            var current = _current;
            try
            {
                if (File.GetLastWriteTimeUtc(_path) != current.WrittenAt)
                {
                    _current = current = Load(_path);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
            {
                // Mid-rotation (a file being replaced) or briefly unreadable: the keys last read still stand.
            }

            return current.Keys;
        }
    }

    private static Snapshot Load(string path)
    {
        var writtenAt = File.GetLastWriteTimeUtc(path);
        var keys = new JsonWebKeySet(File.ReadAllText(path)).GetSigningKeys();
        if (keys.Count == 0)
        {
            throw new InvalidOperationException($"{path} holds no signing key (a JSON Web Key Set with RSA or EC keys, use \"sig\").");
        }

        return new Snapshot(writtenAt, [.. keys]);
    }
}
