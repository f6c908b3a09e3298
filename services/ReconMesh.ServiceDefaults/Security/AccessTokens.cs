using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ReconMesh.ServiceDefaults.Security;

/// <summary>What a minted token says: who, which tenants, which roles, for whom and from whom, and when it is valid.</summary>
public sealed record TokenRequest(
    string Subject, IReadOnlyList<string> Tenants, IReadOnlyList<string> Roles, string Issuer, string Audience, DateTimeOffset NotBefore,
    DateTimeOffset Expires);

/// <summary>
/// Mints bearer tokens (RS256 JWTs) as an OpenID Connect provider would issue them, for local use (<c>./run token</c>,
/// the demo, bench and chaos drivers) and tests. Production tokens come from the deployment's provider.
/// </summary>
public static class AccessTokens
{
    /// <summary>A fresh RSA signing key with a key id, for tests and for the machine's local key.</summary>
    public static RsaSecurityKey NewKey()
    {
        var rsa = RSA.Create(2048);
        return WithKeyId(rsa);
    }

    /// <summary>The key with its id: the base64url SHA-256 thumbprint of its public half (RFC 7638), so it is stable.</summary>
    public static RsaSecurityKey WithKeyId(RSA rsa)
    {
        ArgumentNullException.ThrowIfNull(rsa);
        var key = new RsaSecurityKey(rsa);
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        return key;
    }

    /// <summary>A JSON Web Key Set holding the public half of <paramref name="keys"/>, as an issuer publishes it.</summary>
    public static string PublicJwks(params RsaSecurityKey[] keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var set = keys.Select(k =>
        {
            var p = k.Rsa.ExportParameters(includePrivateParameters: false);
            return new Dictionary<string, string>
            {
                ["kty"] = "RSA", ["use"] = "sig", ["alg"] = SecurityAlgorithms.RsaSha256, ["kid"] = k.KeyId,
                ["n"] = Base64UrlEncoder.Encode(p.Modulus), ["e"] = Base64UrlEncoder.Encode(p.Exponent),
            };
        });
        return System.Text.Json.JsonSerializer.Serialize(new { keys = set });
    }

    /// <summary>The signed token.</summary>
    public static string Mint(RsaSecurityKey key, TokenRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = request.Issuer,
            Audience = request.Audience,
            IssuedAt = request.NotBefore.UtcDateTime,
            NotBefore = request.NotBefore.UtcDateTime,
            Expires = request.Expires.UtcDateTime,
            // No cached signer: IdentityModel caches one per key id, and a key loaded again under the same id after the
            // first was disposed (LocalSigningKey per token) would be signed with by the disposed one.
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256)
            {
                CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false },
            },
            // Arrays even for one value: the claims are multi-valued, and a reader should not have to guess.
            Claims = new Dictionary<string, object>
            {
                ["sub"] = request.Subject,
                [ApiSecuritySettings.DefaultTenantClaim] = request.Tenants.ToArray(),
                [ApiSecuritySettings.DefaultRoleClaim] = request.Roles.ToArray(),
                ["jti"] = Guid.NewGuid().ToString("N"),
            },
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }
}
