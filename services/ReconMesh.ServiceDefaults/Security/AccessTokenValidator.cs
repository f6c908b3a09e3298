using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace ReconMesh.ServiceDefaults.Security;

/// <summary>What checking a token found: the caller's identity and when the token expires, or why it was refused.</summary>
public sealed record AccessTokenCheck(ClaimsIdentity? Identity, DateTimeOffset ExpiresAt, string? Problem)
{
    public bool Accepted => Identity is not null;
}

/// <summary>
/// Checks a bearer token outside an API request (the operator console's sign-in), exactly as the services' JwtBearer
/// handler does (<see cref="ApiSecurityExtensions.TokenValidation"/>): the same issuer, audience, lifetime and algorithms,
/// and the keys of the same source, the JWKS file (re-read when it changes) or the authority's discovery document.
/// The reason for a refusal names the flaw, never the token.
/// </summary>
public sealed class AccessTokenValidator
{
    /// <summary>The longest token read; a JWT of a few claims is about one kilobyte.</summary>
    public const int MaxTokenLength = 16 * 1024;

    private readonly TokenValidationParameters _parameters;
    private readonly JwksFileKeys? _keys;
    private readonly ConfigurationManager<OpenIdConnectConfiguration>? _discovery;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public AccessTokenValidator(ApiSecuritySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _parameters = ApiSecurityExtensions.TokenValidation(settings);
        _keys = JwksFileKeys.OpenOrExit(settings);
        if (settings.Authority is { } authority)
        {
            _discovery = new ConfigurationManager<OpenIdConnectConfiguration>(
                authority.TrimEnd('/') + "/.well-known/openid-configuration", new OpenIdConnectConfigurationRetriever(),
                new HttpDocumentRetriever { RequireHttps = settings.RequireHttpsMetadata });
        }
    }

    public async Task<AccessTokenCheck> ValidateAsync(string? token, CancellationToken cancellationToken)
    {
        token = token?.Trim();
        if (string.IsNullOrEmpty(token))
        {
            return Refused("No token was given.");
        }

        if (token.Length > MaxTokenLength)
        {
            return Refused($"The token is longer than {MaxTokenLength} characters, which no token of this issuer is.");
        }

        var parameters = _parameters.Clone();
        if (_discovery is not null)
        {
            try
            {
                parameters.IssuerSigningKeys = (await _discovery.GetConfigurationAsync(cancellationToken)).SigningKeys;
            }
            catch (InvalidOperationException)
            {
                return Refused("The sign-in provider's keys cannot be read right now; try again in a minute.");
            }
        }
        else
        {
            parameters.IssuerSigningKeys = _keys!.Current;
        }

        var result = await _handler.ValidateTokenAsync(token, parameters);
        if (result.IsValid && result.SecurityToken is JsonWebToken jwt)
        {
            return new AccessTokenCheck(result.ClaimsIdentity, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero), null);
        }

        return Refused(result.Exception switch
        {
            SecurityTokenExpiredException => "The token has expired.",
            SecurityTokenNotYetValidException => "The token is not valid yet.",
            SecurityTokenNoExpirationException => "The token has no expiry time.",
            SecurityTokenInvalidAudienceException => "The token is meant for another audience.",
            SecurityTokenInvalidIssuerException => "The token comes from another issuer.",
            SecurityTokenInvalidAlgorithmException => "The token is signed with an algorithm that is not accepted.",
            SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "The token is not signed by the issuer's keys.",
            SecurityTokenMalformedException or ArgumentException => "This is not a token (a JSON Web Token is three parts separated by dots).",
            _ => "The token was not accepted.",
        });
    }

    private static AccessTokenCheck Refused(string problem) => new(null, DateTimeOffset.MinValue, problem);
}
