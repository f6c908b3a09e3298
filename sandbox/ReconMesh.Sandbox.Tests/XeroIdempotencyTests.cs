using System.Net;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.Tests;

/// <summary>
/// The <c>Idempotency-Key</c> header on the Xero simulator's writes: a retried write gets the first answer (errors
/// included) and is applied once; the key reused for another request, or kept past its retention, is not replayed.
/// </summary>
[TestFixture]
public sealed class XeroIdempotencyTests : XeroFixture
{
    [Test]
    public async Task A_retried_payment_with_the_same_key_gets_the_first_answer_and_is_applied_once()
    {
        var (client, invoiceId) = await InvoiceAsync(100m);
        var key = Headers("pay-" + Guid.NewGuid());
        var first = await client.PutAsync("Payments", XeroTestClient.Payment(invoiceId, "090", 30m), key);
        var retry = await client.PutAsync("Payments", XeroTestClient.Payment(invoiceId, "090", 30m), key);
        var books = await Host.AdminAsync(HttpMethod.Get, client.Admin + "/books", null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Status, Is.EqualTo(HttpStatusCode.OK), first.ToString());
            Assert.That(retry.Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(retry.Body, Is.EqualTo(first.Body), "byte for byte");
            Assert.That(books["payments"]!.AsArray(), Has.Count.EqualTo(1));
            Assert.That(books["invoices"]![0]!["amountDue"]!.GetValue<decimal>(), Is.EqualTo(70m));
            Assert.That(books["idempotentReplays"]!.GetValue<long>(), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task The_key_reused_for_another_request_is_refused_and_errors_are_replayed_too()
    {
        var (client, invoiceId) = await InvoiceAsync(100m);
        var key = Headers("pay-" + Guid.NewGuid());
        await client.PutAsync("Payments", XeroTestClient.Payment(invoiceId, "090", 30m), key);
        var otherBody = await client.PutAsync("Payments", XeroTestClient.Payment(invoiceId, "090", 31m), key);

        var errorKey = Headers("pay-" + Guid.NewGuid());
        var refused = await client.PutAsync("Payments", XeroTestClient.Payment(invoiceId, "090", 500m), errorKey);
        var refusedAgain = await client.PutAsync("Payments", XeroTestClient.Payment(invoiceId, "090", 500m), errorKey);
        var tooLong = await client.PutAsync("Payments", XeroTestClient.Payment(invoiceId, "090", 1m), Headers(new string('k', 129)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(otherBody.Status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(otherBody.Json["Message"]!.GetValue<string>(), Does.Contain("is used with a different request"));
            Assert.That(refused.Status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(refusedAgain.Body, Is.EqualTo(refused.Body));
            Assert.That(tooLong.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        }
    }

    [Test]
    public async Task A_key_older_than_its_retention_counts_as_new()
    {
        var (client, invoiceId) = await InvoiceAsync(100m);
        var key = Headers("pay-" + Guid.NewGuid());
        await client.PutAsync("Payments", XeroTestClient.Payment(invoiceId, "090", 10m), key);
        Clock.Advance(TimeSpan.FromMinutes(6));
        var later = await client.PutAsync("Payments", XeroTestClient.Payment(invoiceId, "090", 10m), key);
        var books = await Host.AdminAsync(HttpMethod.Get, client.Admin + "/books", null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(later.Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(books["payments"]!.AsArray(), Has.Count.EqualTo(2));
        }
    }

    [Test]
    public async Task With_idempotency_keys_turned_off_a_retry_writes_again()
    {
        await using var host = await XeroSandboxHost.StartAsync(new Dictionary<string, string?> { ["Sandbox:Xero:IdempotencyKeys"] = "false" });
        var client = await host.NewOrganisationAsync();
        var contactId = await client.AddContactAsync(host, "Acme");
        var (invoiceId, _) = await client.AddInvoiceAsync(host, contactId, 100m);
        var key = Headers("pay-1");
        await client.PutAsync("Payments", XeroTestClient.Payment(invoiceId, "090", 10m), key);
        await client.PutAsync("Payments", XeroTestClient.Payment(invoiceId, "090", 10m), key);
        var books = await host.AdminAsync(HttpMethod.Get, client.Admin + "/books", null);

        Assert.That(books["payments"]!.AsArray(), Has.Count.EqualTo(2));
    }

    private static Dictionary<string, string> Headers(string key) => new() { ["Idempotency-Key"] = key };
}
