using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace ReconMesh.ServiceDefaults.Security;

/// <summary>
/// This machine's token signing key, for running ReconMesh locally without an OpenID Connect provider: generated once
/// in the machine's state directory (beside the local PostgreSQL password, see deploy/local/infra.sh), never committed,
/// never a default. The private key stays in <see cref="PrivateKeyFile"/> (mode 600); the services read only the public
/// JSON Web Key Set (<see cref="JwksFile"/>). The issuer and audience are fixed names that only this key's tokens carry.
/// </summary>
public sealed class LocalSigningKey : IDisposable
{
    /// <summary>The issuer of locally minted tokens.</summary>
    public const string Issuer = "reconmesh-local";

    /// <summary>The audience of locally minted tokens.</summary>
    public const string Audience = "reconmesh";

    public const string PrivateKeyFileName = "token-signing-key.pem";
    public const string JwksFileName = "token-signing-keys.json";

    private LocalSigningKey(RsaSecurityKey key, string directory)
    {
        Key = key;
        PrivateKeyFile = Path.Combine(directory, PrivateKeyFileName);
        JwksFile = Path.Combine(directory, JwksFileName);
    }

    public RsaSecurityKey Key { get; }

    public string PrivateKeyFile { get; }

    public string JwksFile { get; }

    /// <summary>The machine's state directory: RECONMESH_STATE_DIR, else ~/.local/share/reconmesh.</summary>
    public static string StateDirectory =>
        Environment.GetEnvironmentVariable("RECONMESH_STATE_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "reconmesh");

    /// <summary>The settings that make a service accept this key's tokens (as <c>ReconMesh:Auth:*</c> keys).</summary>
    public IReadOnlyDictionary<string, string> ServiceSettings => new Dictionary<string, string>
    {
        [ApiSecuritySettings.IssuerKey] = Issuer,
        [ApiSecuritySettings.AudienceKey] = Audience,
        [ApiSecuritySettings.JwksFileKey] = JwksFile,
    };

    /// <summary>
    /// The key in <paramref name="directory"/> (default <see cref="StateDirectory"/>), created if there is none. Safe
    /// when two processes start at once: the key is written aside and moved in place only if none was there.
    /// </summary>
    public static LocalSigningKey LoadOrCreate(string? directory = null)
    {
        directory ??= StateDirectory;
        Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var pemPath = Path.Combine(directory, PrivateKeyFileName);
        if (!File.Exists(pemPath))
        {
            using var fresh = RSA.Create(2048);
            var aside = pemPath + "." + Guid.NewGuid().ToString("N") + ".tmp";
            WritePrivate(aside, fresh.ExportPkcs8PrivateKeyPem());
            try
            {
                File.Move(aside, pemPath, overwrite: false);
            }
            catch (IOException) when (File.Exists(pemPath))
            {
                File.Delete(aside); // another process was first: its key is the machine's
            }
        }

        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(pemPath));
        var local = new LocalSigningKey(AccessTokens.WithKeyId(rsa), directory);
        var jwks = AccessTokens.PublicJwks(local.Key);
        if (!File.Exists(local.JwksFile) || File.ReadAllText(local.JwksFile) != jwks)
        {
            var aside = local.JwksFile + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllText(aside, jwks);
            File.Move(aside, local.JwksFile, overwrite: true);
        }

        return local;
    }

    /// <summary>A token of this key, valid from now for <paramref name="lifetime"/>.</summary>
    public string Mint(string subject, IReadOnlyList<string> tenants, IReadOnlyList<string> roles, TimeSpan lifetime)
    {
        var now = DateTimeOffset.UtcNow;
        return AccessTokens.Mint(Key, new TokenRequest(subject, tenants, roles, Issuer, Audience, now, now + lifetime));
    }

    public void Dispose() => Key.Rsa.Dispose();

    private static void WritePrivate(string path, string pem)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options);
        writer.Write(pem);
    }
}
