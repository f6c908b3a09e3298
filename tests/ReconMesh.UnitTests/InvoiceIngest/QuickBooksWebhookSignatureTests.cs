using System.Security.Cryptography;
using System.Text;
using ReconMesh.InvoiceIngest.Webhooks;

namespace ReconMesh.UnitTests.InvoiceIngest;

[TestFixture]
public sealed class When_a_QuickBooks_notification_arrives
{
    private const string Verifier = "verifier-token-123";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes(
        """{"eventNotifications":[{"realmId":"1185883450","dataChangeEvent":{"entities":[{"name":"Invoice","id":"1","operation":"Create","lastUpdated":"2015-10-05T14:42:19-0700"}]}}]}""");

    private static string Sign(byte[] body, string key) => Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), body));

    [Test]
    public void Should_accept_the_signature_Intuit_computes() =>
        Assert.That(QuickBooksWebhook.SignatureIsValid(Body, Sign(Body, Verifier), Verifier), Is.True);

    [TestCase(null)]
    [TestCase("")]
    [TestCase("not base64 at all!")]
    [TestCase("AAAA")]
    public void Should_refuse_a_missing_or_malformed_signature(string? signature) =>
        Assert.That(QuickBooksWebhook.SignatureIsValid(Body, signature, Verifier), Is.False);

    [Test]
    public void Should_refuse_a_signature_made_with_another_key() =>
        Assert.That(QuickBooksWebhook.SignatureIsValid(Body, Sign(Body, "someone-else"), Verifier), Is.False);

    [Test]
    public void Should_refuse_a_body_changed_after_signing()
    {
        var signature = Sign(Body, Verifier);
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Body).Replace("1185883450", "9999999999", StringComparison.Ordinal));

        Assert.That(QuickBooksWebhook.SignatureIsValid(tampered, signature, Verifier), Is.False);
    }

    [Test]
    public void Should_read_the_realm_from_the_legacy_format() =>
        Assert.That(QuickBooksWebhook.NotifiedRealms(Body), Has.Count.EqualTo(1).And.Contains("1185883450"));

    [Test]
    public void Should_read_the_realm_from_the_CloudEvents_format()
    {
        var body = Encoding.UTF8.GetBytes("""[{"specversion":"1.0","id":"e1","source":"intuit","type":"qbo.invoice.created.v1","time":"2025-12-03T10:00:00Z","intuitentityid":"100","intuitaccountid":"200","data":{}}]""");

        Assert.That(QuickBooksWebhook.NotifiedRealms(body), Has.Count.EqualTo(1).And.Contains("200"));
    }
}
