using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Npgsql;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.OperatorConsole;
using ReconMesh.OperatorConsole.KeyRing;
using ReconMesh.ServiceDefaults.Security;

namespace ReconMesh.IntegrationTests.Browser;

/// <summary>
/// Two replicas of the console started at the same moment on one PostgreSQL key ring (as the Kubernetes Deployment
/// runs them, behind one Service): a person who got the sign-in form from one and signed in at the other is signed in at
/// both, the one key made by one replica only, and stored encrypted with the certificate. A console with a key ring of its
/// own refuses the same cookie: the sharing is what lets it through. No browser is needed: the cookies are the subject.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class When_console_replicas_share_a_key_ring
{
    private const string Tenant = "keyring-tenant";
    private TestServers _servers = null!;
    private string _certificates = null!;
    private WebApplication _first = null!;
    private WebApplication _second = null!;
    private WebApplication _alone = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _servers = await TestServers.StartAsync();
        _certificates = Directory.CreateTempSubdirectory("reconmesh-keyring-").FullName;
        var (certificate, key) = WriteCertificate(_certificates);
        var shared = new Dictionary<string, string?>
        {
            [ConsoleKeyRing.PostgresKey] = _servers.Postgres,
            [ConsoleKeyRing.CertificateFileKey] = certificate,
            [ConsoleKeyRing.CertificateKeyFileKey] = key,
        };
        var started = await Task.WhenAll(StartAsync(shared), StartAsync(shared));
        (_first, _second) = (started[0], started[1]);
        _alone = await StartAsync(new Dictionary<string, string?>
        {
            [ConsoleKeyRing.CertificateFileKey] = certificate,
            [ConsoleKeyRing.CertificateKeyFileKey] = key,
        });
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        foreach (var host in new[] { _first, _second, _alone }.Where(h => h is not null))
        {
            await host.StopAsync();
            await host.DisposeAsync();
        }

        await _servers.DisposeAsync();
        Directory.Delete(_certificates, recursive: true);
    }

    [Test]
    public async Task A_person_signed_in_at_one_replica_is_signed_in_at_the_other()
    {
        var cookies = new CookieContainer();
        using var first = Client(_first, cookies);
        using var second = Client(_second, cookies);

        // The form (and its antiforgery cookie) from one replica, posted to the other: antiforgery is protected by the ring too.
        var form = await first.GetStringAsync("/signin");
        var antiforgery = AntiforgeryField().Match(form).Groups[1].Value;
        Assert.That(antiforgery, Is.Not.Empty, "the sign-in form carries an antiforgery token");
        using var signIn = await second.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = antiforgery,
            ["Token"] = ConsoleHarness.Token(AccessRoles.Read, Tenant),
        }));
        Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await signIn.Content.ReadAsStringAsync());
        Assert.That(cookies.GetAllCookies().Select(c => c.Name), Does.Contain("reconmesh.console"));

        foreach (var (name, client) in new[] { ("the replica that signed the person in", second), ("the other replica", first) })
        {
            using var overview = await client.GetAsync("/");
            var page = await overview.Content.ReadAsStringAsync();
            Assert.That(overview.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{name}: {overview.Headers.Location}");
            Assert.That(page, Does.Contain("Your tenants").And.Contain(Tenant), name);
        }

        // The control: the same cookie at a console whose keys are its own is no session at all.
        using var alone = Client(_alone, cookies);
        using var refused = await alone.GetAsync("/");
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "a console of another key ring does not read the cookie");
        Assert.That(refused.Headers.Location?.OriginalString, Does.Contain("/signin"), "it asks the person to sign in");
    }

    [Test]
    public async Task The_replicas_made_one_key_and_it_is_stored_encrypted()
    {
        await using var connection = new NpgsqlConnection(_servers.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT xml FROM {PostgresXmlRepository.Table}", connection);
        var keys = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                keys.Add(reader.GetString(0));
            }
        }

        Assert.That(keys, Has.Count.EqualTo(1), "both replicas started on an empty ring; one key was made");
        Assert.That(keys[0], Does.Contain("EncryptedData").And.Contain("X509"), "encrypted with the certificate");
        Assert.That(keys[0], Does.Not.Contain("<value>"), "the master key is not stored in the clear");
    }

    private static Task<WebApplication> StartAsync(Dictionary<string, string?> keyRing) =>
        InProcessHost.StartAsync(b => b.AddOperatorConsole(), a => a.MapOperatorConsole(), new Dictionary<string, string?>(keyRing)
        {
            // Nothing listens on port 1: the overview shows the services unreachable, which is enough to see a session.
            [ConsoleSettings.InvoiceIngestKey] = "http://127.0.0.1:1/",
            [ConsoleSettings.WritebackServiceKey] = "http://127.0.0.1:1/",
        });

    private static HttpClient Client(WebApplication console, CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = console.Address() };

    /// <summary>A self-signed RSA certificate and its private key as PEM files (what a Kubernetes TLS Secret holds).</summary>
    private static (string Certificate, string Key) WriteCertificate(string directory)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=reconmesh-console-keyring-test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var (certificateFile, keyFile) = (Path.Combine(directory, "tls.crt"), Path.Combine(directory, "tls.key"));
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, rsa.ExportPkcs8PrivateKeyPem());
        return (certificateFile, keyFile);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
