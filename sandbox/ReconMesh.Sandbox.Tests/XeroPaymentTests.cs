using System.Net;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.Tests;

/// <summary>
/// <c>PUT /Payments</c> and <c>POST /Payments/{id}</c> of the Xero simulator: payments move AmountDue and AmountPaid
/// and mark the invoice PAID, are refused with a ValidationException when Xero would refuse them, and, deleted,
/// reopen the invoice. Each test works in its own organisation.
/// </summary>
[TestFixture]
public sealed class XeroPaymentTests : XeroFixture
{
    [Test]
    public async Task A_partial_then_a_final_payment_move_AmountDue_and_mark_the_invoice_PAID()
    {
        var (client, invoiceId) = await InvoiceAsync(100m);
        var partial = await client.PutAsync("Payments", XeroTestClient.Payment(invoiceId, "090", 40m, "2026-12-01", "Stripe ch_1"));
        var afterPartial = await InvoiceJsonAsync(client, invoiceId);
        var final = await client.PutAsync("Payments", new JsonObject { ["Payments"] = new JsonArray(XeroTestClient.Payment(invoiceId, "092", 60m, "2026-12-03")) });
        var afterFinal = await InvoiceJsonAsync(client, invoiceId);
        var payment = partial.Json["Payments"]![0]!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(partial.Status, Is.EqualTo(HttpStatusCode.OK), partial.ToString());
            Assert.That(payment["Amount"]!.GetValue<decimal>(), Is.EqualTo(40m));
            Assert.That(payment["Reference"]!.GetValue<string>(), Is.EqualTo("Stripe ch_1"));
            Assert.That(payment["Status"]!.GetValue<string>(), Is.EqualTo("AUTHORISED"));
            Assert.That(payment["PaymentType"]!.GetValue<string>(), Is.EqualTo("ACCRECPAYMENT"));
            Assert.That(payment["Date"]!.GetValue<string>(), Is.EqualTo("/Date(1796083200000+0000)/"));
            Assert.That(payment["Account"]!["Code"]!.GetValue<string>(), Is.EqualTo("090"));
            Assert.That(payment["Invoice"]!["InvoiceID"]!.GetValue<string>(), Is.EqualTo(invoiceId));
            Assert.That(afterPartial["Status"]!.GetValue<string>(), Is.EqualTo("AUTHORISED"));
            Assert.That(afterPartial["AmountDue"]!.GetValue<decimal>(), Is.EqualTo(60m));
            Assert.That(afterPartial["AmountPaid"]!.GetValue<decimal>(), Is.EqualTo(40m));
            Assert.That(afterPartial["Payments"]!.AsArray(), Has.Count.EqualTo(1));
            Assert.That(final.Status, Is.EqualTo(HttpStatusCode.OK), final.ToString());
            Assert.That(afterFinal["Status"]!.GetValue<string>(), Is.EqualTo("PAID"));
            Assert.That(afterFinal["AmountDue"]!.GetValue<decimal>(), Is.Zero);
            Assert.That(afterFinal["AmountPaid"]!.GetValue<decimal>(), Is.EqualTo(100m));
            Assert.That(afterFinal["FullyPaidOnDate"]!.GetValue<string>(), Is.EqualTo("/Date(1796256000000+0000)/"));
            Assert.That(afterFinal["Payments"]!.AsArray(), Has.Count.EqualTo(2));
        }
    }

    [Test]
    public async Task Invoice_and_account_may_be_named_by_number_and_id_and_the_clearing_account_balance_grows()
    {
        var (client, invoiceId) = await InvoiceAsync(50m);
        var number = (await InvoiceJsonAsync(client, invoiceId))["InvoiceNumber"]!.GetValue<string>();
        var clearing = (await client.ListAsync("Accounts", "Accounts")).Single(a => a!["Code"]!.GetValue<string>() == "092")!;
        var body = new JsonObject
        {
            ["Invoice"] = new JsonObject { ["InvoiceNumber"] = number },
            ["Account"] = new JsonObject { ["AccountID"] = clearing["AccountID"]!.GetValue<string>() },
            ["Date"] = "/Date(1796083200000+0000)/",
            ["Amount"] = "50.00",
        };

        var reply = await client.PutAsync("Payments", body);
        var books = await Host.AdminAsync(HttpMethod.Get, client.Admin + "/books", null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.OK), reply.ToString());
            Assert.That(books["accounts"]!.AsArray().Single(a => a!["code"]!.GetValue<string>() == "092")!["balance"]!.GetValue<decimal>(), Is.EqualTo(50m));
            Assert.That(books["payments"]![0]!["accountCode"]!.GetValue<string>(), Is.EqualTo("092"));
        }
    }

    [TestCase(150, "090", "2026-12-01", "Payment amount exceeds the amount outstanding on this document")]
    [TestCase(0, "090", "2026-12-01", "Payment amount must be greater than zero")]
    [TestCase(10, "200", "2026-12-01", "Account type is invalid for making a payment to/from")]
    [TestCase(10, "404", "2026-12-01", "Account type is invalid for making a payment to/from")]
    [TestCase(10, "999", "2026-12-01", "Account could not be found")]
    [TestCase(10, "090", "not a date", "A valid Date must be specified for the payment")]
    public async Task A_payment_Xero_would_refuse_is_a_400_ValidationException_and_changes_nothing(int amount, string account, string date, string message)
    {
        var (client, invoiceId) = await InvoiceAsync(100m);
        var reply = await client.PutAsync("Payments", XeroTestClient.Payment(invoiceId, account, amount, date));
        var invoice = await InvoiceJsonAsync(client, invoiceId);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.BadRequest), reply.ToString());
            Assert.That(reply.Json["ErrorNumber"]!.GetValue<int>(), Is.EqualTo(10));
            Assert.That(reply.Json["Type"]!.GetValue<string>(), Is.EqualTo("ValidationException"));
            Assert.That(reply.Json["Message"]!.GetValue<string>(), Is.EqualTo("A validation exception occurred"));
            Assert.That(reply.ValidationMessages, Is.EqualTo(new[] { message }));
            Assert.That(reply.Json["Elements"]![0]!["Invoice"]!["InvoiceID"]!.GetValue<string>(), Is.EqualTo(invoiceId), "the element is echoed");
            Assert.That(invoice["AmountDue"]!.GetValue<decimal>(), Is.EqualTo(100m));
        }
    }

    [Test]
    public async Task Draft_unknown_and_missing_invoices_are_refused()
    {
        var (client, _) = await InvoiceAsync(10m);
        var contactId = (await Host.AdminAsync(HttpMethod.Get, client.Admin + "/books", null))["contacts"]![0]!["contactId"]!.GetValue<string>();
        var (draft, _) = await client.AddInvoiceAsync(Host, contactId, 10m, new JsonObject { ["status"] = "DRAFT" });

        var onDraft = await client.PutAsync("Payments", XeroTestClient.Payment(draft, "090", 5m));
        var unknown = await client.PutAsync("Payments", XeroTestClient.Payment(Guid.NewGuid().ToString(), "090", 5m));
        var missing = await client.PutAsync("Payments", new JsonObject { ["Account"] = new JsonObject { ["Code"] = "090" }, ["Date"] = "2026-12-01", ["Amount"] = 5 });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(onDraft.ValidationMessages, Is.EqualTo(new[] { "Payments can only be made against Authorised documents" }));
            Assert.That(unknown.ValidationMessages, Is.EqualTo(new[] { "Invoice could not be found" }));
            Assert.That(missing.ValidationMessages, Does.Contain("You must specify either an Invoice, Credit Note, Prepayment or Overpayment for the payment"));
        }
    }

    [Test]
    public async Task A_batch_is_all_or_nothing_and_counts_earlier_payments_of_the_same_call()
    {
        var (client, invoiceId) = await InvoiceAsync(100m);
        var batch = new JsonObject
        {
            ["Payments"] = new JsonArray(
                XeroTestClient.Payment(invoiceId, "090", 70m),
                XeroTestClient.Payment(invoiceId, "090", 40m)),
        };

        var reply = await client.PutAsync("Payments", batch);
        var invoice = await InvoiceJsonAsync(client, invoiceId);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(reply.Json["Elements"]!.AsArray(), Has.Count.EqualTo(2));
            Assert.That(reply.Json["Elements"]![0]!["ValidationErrors"], Is.Null);
            Assert.That(reply.ValidationMessages, Is.EqualTo(new[] { "Payment amount exceeds the amount outstanding on this document" }));
            Assert.That(invoice["AmountPaid"]!.GetValue<decimal>(), Is.Zero);
        }
    }

    [Test]
    public async Task With_summarizeErrors_false_the_valid_payments_are_applied_and_each_element_says_how_it_went()
    {
        var (client, invoiceId) = await InvoiceAsync(100m);
        var batch = new JsonObject
        {
            ["Payments"] = new JsonArray(
                XeroTestClient.Payment(invoiceId, "090", 70m),
                XeroTestClient.Payment(invoiceId, "090", 40m),
                XeroTestClient.Payment(invoiceId, "092", 30m)),
        };

        var reply = await client.PutAsync("Payments?summarizeErrors=false", batch);
        var payments = reply.Json["Payments"]!.AsArray();
        var invoice = await InvoiceJsonAsync(client, invoiceId);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.OK), reply.ToString());
            Assert.That(payments.Select(p => p!["StatusAttributeString"]!.GetValue<string>()), Is.EqualTo(new[] { "OK", "ERROR", "OK" }));
            Assert.That(payments[0]!["PaymentID"], Is.Not.Null);
            Assert.That(payments[1]!["ValidationErrors"]![0]!["Message"]!.GetValue<string>(), Is.EqualTo("Payment amount exceeds the amount outstanding on this document"));
            Assert.That(invoice["AmountPaid"]!.GetValue<decimal>(), Is.EqualTo(100m));
            Assert.That(invoice["Status"]!.GetValue<string>(), Is.EqualTo("PAID"));
        }
    }

    [Test]
    public async Task Deleting_a_payment_reopens_the_paid_invoice_and_a_payment_is_deleted_only_once()
    {
        var (client, invoiceId) = await InvoiceAsync(80m);
        var paid = await client.PutAsync("Payments", XeroTestClient.Payment(invoiceId, "092", 80m));
        var paymentId = paid.Json["Payments"]![0]!["PaymentID"]!.GetValue<string>();

        var edit = await client.PostAsync($"Payments/{paymentId}", new JsonObject { ["Amount"] = 10 });
        var deleted = await client.PostAsync($"Payments/{paymentId}", new JsonObject { ["Status"] = "DELETED" });
        var invoice = await InvoiceJsonAsync(client, invoiceId);
        var again = await client.PostAsync($"Payments/{paymentId}", new JsonObject { ["Status"] = "DELETED" });
        var unknown = await client.PostAsync($"Payments/{Guid.NewGuid()}", new JsonObject { ["Status"] = "DELETED" });
        var read = (await client.ListAsync($"Payments/{paymentId}", "Payments")).Single()!;
        var books = await Host.AdminAsync(HttpMethod.Get, client.Admin + "/books", null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(edit.Status, Is.EqualTo(HttpStatusCode.BadRequest), "payments cannot be edited");
            Assert.That(deleted.Status, Is.EqualTo(HttpStatusCode.OK), deleted.ToString());
            Assert.That(deleted.Json["Payments"]![0]!["Status"]!.GetValue<string>(), Is.EqualTo("DELETED"));
            Assert.That(invoice["Status"]!.GetValue<string>(), Is.EqualTo("AUTHORISED"));
            Assert.That(invoice["AmountDue"]!.GetValue<decimal>(), Is.EqualTo(80m));
            Assert.That(invoice["AmountPaid"]!.GetValue<decimal>(), Is.Zero);
            Assert.That(invoice["Payments"]!.AsArray(), Is.Empty);
            Assert.That(invoice["FullyPaidOnDate"], Is.Null);
            Assert.That(again.ValidationMessages, Is.EqualTo(new[] { "The document has already been deleted" }));
            Assert.That(unknown.Status, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(read["Status"]!.GetValue<string>(), Is.EqualTo("DELETED"));
            Assert.That(books["accounts"]!.AsArray().Single(a => a!["code"]!.GetValue<string>() == "092")!["balance"]!.GetValue<decimal>(), Is.Zero);
        }
    }

    [Test]
    public async Task Oversized_and_malformed_writes_are_refused()
    {
        var (client, invoiceId) = await InvoiceAsync(10m);
        var longReference = await client.PutAsync("Payments", XeroTestClient.Payment(invoiceId, "090", 1m, reference: new string('r', 256)));
        var notJson = await client.SendAsync(HttpMethod.Put, "Payments", "{not json", null);
        var huge = await client.SendAsync(HttpMethod.Put, "Payments", "{\"Reference\":\"" + new string('x', 4 * 1024 * 1024) + "\"}", null);
        var tooMany = await client.PutAsync("Payments", new JsonObject
        {
            ["Payments"] = new JsonArray([.. Enumerable.Range(0, 1001).Select(_ => (JsonNode)XeroTestClient.Payment(invoiceId, "090", 0.01m))]),
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(longReference.ValidationMessages, Is.EqualTo(new[] { "Reference must not be more than 255 characters long" }));
            Assert.That(notJson.Status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(notJson.Json["Type"]!.GetValue<string>(), Is.EqualTo("PostDataInvalidException"));
            Assert.That(huge.Status, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
            Assert.That(tooMany.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        }
    }

    private static async Task<JsonNode> InvoiceJsonAsync(XeroTestClient client, string invoiceId) =>
        (await client.ListAsync($"Invoices/{invoiceId}", "Invoices")).Single()!;
}
