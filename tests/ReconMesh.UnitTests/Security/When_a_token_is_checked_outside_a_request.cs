using ReconMesh.ServiceDefaults.Security;

namespace ReconMesh.UnitTests.Security;

/// <summary>
/// The operator console's sign-in checks a pasted token with <see cref="AccessTokenValidator"/>: the same rules as the
/// services' JwtBearer handler, and a refusal that names the flaw without repeating the token.
/// </summary>
[TestFixture]
public sealed class When_a_token_is_checked_outside_a_request
{
    private const string Issuer = "https://issuer.unit.invalid";
    private const string Audience = "reconmesh-unit";
    private Microsoft.IdentityModel.Tokens.RsaSecurityKey _key = null!;
    private string _directory = null!;
    private AccessTokenValidator _validator = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _key = AccessTokens.NewKey();
        _directory = Path.Combine(Path.GetTempPath(), $"reconmesh-unit-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_directory);
        var jwks = Path.Combine(_directory, "jwks.json");
        File.WriteAllText(jwks, AccessTokens.PublicJwks(_key));
        _validator = new AccessTokenValidator(new ApiSecuritySettings(Issuer, Audience, null, jwks, true, "tenant", "roles"));
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _key.Rsa.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static TokenRequest Request(DateTimeOffset? expires = null, string issuer = Issuer, string audience = Audience) =>
        new("dana", ["acme", "globex"], ["write"], issuer, audience, DateTimeOffset.UtcNow.AddMinutes(-5), expires ?? DateTimeOffset.UtcNow.AddHours(1));

    [Test]
    public async Task A_token_the_services_accept_is_accepted_with_its_tenants_roles_and_expiry()
    {
        var request = Request();

        var check = await _validator.ValidateAsync(AccessTokens.Mint(_key, request), CancellationToken.None);

        Assert.That(check.Accepted, Is.True, check.Problem);
        Assert.That(check.Identity!.FindAll("tenant").Select(c => c.Value), Is.EqualTo(new[] { "acme", "globex" }));
        Assert.That(check.Identity.HasClaim("roles", "write"), Is.True);
        Assert.That(check.ExpiresAt, Is.EqualTo(request.Expires).Within(TimeSpan.FromSeconds(1)));
    }

    private static IEnumerable<TestCaseData> Flaws()
    {
        yield return new TestCaseData("expired", "The token has expired.");
        yield return new TestCaseData("audience", "meant for another audience");
        yield return new TestCaseData("issuer", "comes from another issuer");
        yield return new TestCaseData("self-signed", "not signed by the issuer's keys");
        yield return new TestCaseData("garbage", "This is not a token");
        yield return new TestCaseData("empty", "No token was given");
        yield return new TestCaseData("huge", "longer than 16384 characters");
    }

    [TestCaseSource(nameof(Flaws))]
    public async Task A_flawed_token_is_refused_naming_the_flaw_and_not_the_token(string flaw, string problem)
    {
        using var stranger = AccessTokens.NewKey().Rsa;
        var token = flaw switch
        {
            "expired" => AccessTokens.Mint(_key, Request(DateTimeOffset.UtcNow.AddMinutes(-2))),
            "audience" => AccessTokens.Mint(_key, Request(audience: "someone-else")),
            "issuer" => AccessTokens.Mint(_key, Request(issuer: "https://elsewhere.invalid")),
            "self-signed" => AccessTokens.Mint(AccessTokens.WithKeyId(stranger), Request()),
            "garbage" => "eyJhbGciOi.not-a.token",
            "empty" => "   ",
            _ => new string('a', AccessTokenValidator.MaxTokenLength + 1),
        };

        var check = await _validator.ValidateAsync(token, CancellationToken.None);

        Assert.That(check.Accepted, Is.False);
        Assert.That(check.Problem, Does.Contain(problem));
        if (token.Trim().Length > 0)
        {
            Assert.That(check.Problem, Does.Not.Contain(token.Trim()[..10]));
        }
    }
}
