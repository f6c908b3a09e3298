using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ReconMesh.InvoiceIngest.Webhooks;

namespace ReconMesh.UnitTests.InvoiceIngest;

[TestFixture]
public sealed class When_a_Xero_webhook_arrives
{
    private const string Key = "xero-app-webhook-key";
    private const string Organisation = "6c2a3b8e-5d1f-4c7a-9e0b-2f4d6a8c0e1f";

    private static byte[] Delivery(params string[] events) => Encoding.UTF8.GetBytes(
        $$"""{"events":[{{string.Join(',', events)}}],"firstEventSequence":1,"lastEventSequence":{{events.Length}},"entropy":"S0M3R4ND0M"}""");

    private static string Event(string category = "INVOICE", string tenant = Organisation, string resource = "0f9c1b2a-3d4e-4f50-8a6b-7c8d9e0f1a2b") =>
        $$"""{"resourceUrl":"https://api.xero.com/api.xro/2.0/Invoices/{{resource}}","resourceId":"{{resource}}","eventDateUtc":"2026-12-05T10:00:00.123","eventType":"UPDATE","eventCategory":"{{category}}","tenantId":"{{tenant}}","tenantType":"ORGANISATION"}""";

    private static string Sign(byte[] body, string key) => Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), body));

    [Test]
    public void Should_accept_the_signature_Xero_computes_and_refuse_any_other()
    {
        var body = Delivery(Event());

        Assert.That(XeroWebhook.SignatureIsValid(body, Sign(body, Key), Key), Is.True);
        Assert.That(XeroWebhook.SignatureIsValid(body, Sign(body, Key + "-wrong"), Key), Is.False);
        Assert.That(XeroWebhook.SignatureIsValid(body, Sign([.. body, (byte)' '], Key), Key), Is.False);
        Assert.That(XeroWebhook.SignatureIsValid(body, null, Key), Is.False);
        Assert.That(XeroWebhook.SignatureIsValid(body, "%%% not base64", Key), Is.False);
    }

    [Test]
    public void Should_find_no_organisation_in_the_intent_to_receive_payload() =>
        Assert.That(XeroWebhook.NotifiedOrganisations(Delivery()), Is.Empty);

    [Test]
    public void Should_name_each_organisation_with_an_invoice_or_contact_event_once()
    {
        const string other = "11111111-2222-4333-8444-555555555555";
        var body = Delivery(Event(), Event("CONTACT"), Event(tenant: other.ToUpperInvariant()), Event("CREDITNOTE", "99999999-2222-4333-8444-555555555555"));

        Assert.That(XeroWebhook.NotifiedOrganisations(body), Is.EquivalentTo(new[] { Organisation, other }));
    }

    [TestCase("""{"events":{}}""", "events array")]
    [TestCase("""[]""", "events array")]
    [TestCase("""{"events":[null]}""", "events[0] is not an object")]
    [TestCase("""{"events":[{"tenantId":"../../etc/passwd","resourceId":"0f9c1b2a-3d4e-4f50-8a6b-7c8d9e0f1a2b","eventCategory":"INVOICE","eventType":"UPDATE"}]}""", "tenantId is not a GUID")]
    [TestCase("""{"events":[{"tenantId":"6c2a3b8e-5d1f-4c7a-9e0b-2f4d6a8c0e1f","resourceId":7,"eventCategory":"INVOICE","eventType":"UPDATE"}]}""", "resourceId is missing or not a string")]
    [TestCase("""{"events":[{"tenantId":"6c2a3b8e-5d1f-4c7a-9e0b-2f4d6a8c0e1f","resourceId":"0f9c1b2a-3d4e-4f50-8a6b-7c8d9e0f1a2b","eventCategory":"","eventType":"UPDATE"}]}""", "eventCategory must have 1 to 100")]
    public void Should_refuse_a_delivery_not_of_Xeros_shape_with_the_reason(string body, string reason) =>
        Assert.That(() => XeroWebhook.NotifiedOrganisations(Encoding.UTF8.GetBytes(body)), Throws.InstanceOf<JsonException>().With.Message.Contains(reason));

    [Test]
    public void Should_refuse_more_events_than_a_delivery_carries()
    {
        var body = Delivery([.. Enumerable.Repeat(Event(), XeroWebhook.MaxEvents + 1)]);

        Assert.That(() => XeroWebhook.NotifiedOrganisations(body), Throws.InstanceOf<JsonException>().With.Message.Contains("at most 1000 events"));
    }
}
