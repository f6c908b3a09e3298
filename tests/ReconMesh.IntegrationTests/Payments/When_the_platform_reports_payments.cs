using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ReconMesh.Contracts.Payments;
using ReconMesh.IntegrationTests.Infrastructure;
using static ReconMesh.IntegrationTests.Payments.PaymentScenarioHarness;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>
/// The failure modes users of sync tools suffer most, each ending in the sandbox's books and in the payment's story:
/// every payment ends Applied, Reversed, Cancelled or Dismissed, or waits in NeedsAttention with a reason.
/// </summary>
[TestFixture]
public sealed class When_the_platform_reports_payments
{
    private PaymentScenarioHarness _mesh = null!;

    [OneTimeSetUp]
    public async Task Start() => _mesh = await PaymentScenarioHarness.StartAsync(invoices: 30);

    [OneTimeTearDown]
    public async Task Stop() => await _mesh.DisposeAsync();

    [Test]
    public async Task A_full_payment_marks_the_invoice_paid()
    {
        var invoice = await _mesh.TakeInvoiceAsync();

        var payment = await _mesh.PayAsync((invoice.InvoiceId, invoice.Total));
        var settled = await _mesh.SettledAsync(payment);

        var books = await _mesh.BooksAsync();
        Assert.That(settled.GetProperty("state").GetString(), Is.EqualTo("Applied"));
        Assert.That(Invoice(books, invoice.ExternalId).GetProperty("balance").GetDecimal(), Is.Zero);
        Assert.That(LivePaymentsFor(books, invoice.ExternalId), Has.Count.EqualTo(1));
        Assert.That(Story(settled), Is.EqualTo(new[] { "payment_written_back" }));
    }

    [Test]
    public async Task An_invoice_read_that_fails_while_the_reconciliation_is_stored_is_read_again_by_the_write()
    {
        // The batch reads the invoice from QuickBooks while it stores the reconciliation. That first read is refused; the
        // write must read it again, not take a failed read for a deleted invoice.
        var invoice = await _mesh.TakeInvoiceAsync();
        await _mesh.RefuseInvoiceReadsAsync(invoice, times: 1);

        var payment = await _mesh.PayAsync((invoice.InvoiceId, invoice.Total));
        var settled = await _mesh.SettledAsync(payment);

        var books = await _mesh.BooksAsync();
        Assert.That(settled.GetProperty("state").GetString(), Is.EqualTo("Applied"), settled.ToString());
        Assert.That(LivePaymentsFor(books, invoice.ExternalId), Has.Count.EqualTo(1));
        Assert.That(Story(settled), Is.EqualTo(new[] { "payment_written_back" }), "written at the first attempt, with no attention raised");
    }

    [Test]
    public async Task A_partial_then_a_final_payment_leave_the_invoice_open_then_paid()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        var first = decimal.Round(invoice.Total * 0.4m, 2);

        await _mesh.SettledAsync(await _mesh.PayAsync((invoice.InvoiceId, first)), "Applied");
        var afterFirst = Invoice(await _mesh.BooksAsync(), invoice.ExternalId).GetProperty("balance").GetDecimal();
        await _mesh.SettledAsync(await _mesh.PayAsync((invoice.InvoiceId, invoice.Total - first)), "Applied");

        var books = await _mesh.BooksAsync();
        Assert.That(afterFirst, Is.EqualTo(invoice.Total - first));
        Assert.That(Invoice(books, invoice.ExternalId).GetProperty("balance").GetDecimal(), Is.Zero);
        Assert.That(LivePaymentsFor(books, invoice.ExternalId), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task One_payment_over_three_invoices_pays_each()
    {
        var invoices = new[] { await _mesh.TakeInvoiceAsync(), await _mesh.TakeInvoiceAsync(), await _mesh.TakeInvoiceAsync() };

        var payment = await _mesh.PayAsync([.. invoices.Select(i => (i.InvoiceId, i.Total))]);
        await _mesh.SettledAsync(payment, "Applied");

        var books = await _mesh.BooksAsync();
        Assert.That(invoices.Select(i => Invoice(books, i.ExternalId).GetProperty("balance").GetDecimal()), Is.All.Zero);
        var booked = invoices.SelectMany(i => LivePaymentsFor(books, i.ExternalId)).DistinctBy(p => p.GetProperty("id").GetString());
        Assert.That(booked.Sum(p => p.GetProperty("totalAmt").GetDecimal()), Is.EqualTo(invoices.Sum(i => i.Total)));
    }

    [Test]
    public async Task An_overpayment_pays_the_invoice_and_keeps_the_excess_as_unapplied_credit()
    {
        var invoice = await _mesh.TakeInvoiceAsync();

        var payment = await _mesh.PayAsync((invoice.InvoiceId, invoice.Total + 25.00m));
        await _mesh.SettledAsync(payment, "Applied");

        var books = await _mesh.BooksAsync();
        var booked = LivePaymentsFor(books, invoice.ExternalId).Single();
        Assert.That(Invoice(books, invoice.ExternalId).GetProperty("balance").GetDecimal(), Is.Zero);
        Assert.That(booked.GetProperty("totalAmt").GetDecimal(), Is.EqualTo(invoice.Total + 25.00m));
        Assert.That(booked.GetProperty("unappliedAmt").GetDecimal(), Is.EqualTo(25.00m));
    }

    [Test]
    public async Task A_payment_for_an_invoice_not_synced_yet_waits_for_it_and_resumes_when_it_arrives()
    {
        // QuickBooks answers nothing but errors for a while, so the mesh cannot sync the invoice the customer pays.
        (await _mesh.Sandbox.PutAsJsonAsync("/admin/faults/quickbooks", new { errorRate = 1.0, seed = 11 })).EnsureSuccessStatusCode();
        string externalId;
        PaymentProcessed payment;
        try
        {
            using var seeded = await _mesh.Sandbox.PostAsJsonAsync($"/admin/qbo/companies/{PaymentScenarioHarness.Realm}/seed",
                new { customers = 1, invoices = 1, currency = "USD", seed = 1105 });
            externalId = (await seeded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("invoices")[0].GetString()!;
            var total = Invoice(await _mesh.BooksAsync(), externalId).GetProperty("totalAmt").GetDecimal();

            payment = await _mesh.PayAsync((_mesh.InvoiceIdFor(externalId), total));
            await Eventually.Until(() => _mesh.PaymentAsync(_mesh.MeshId(payment)),
                p => p is { } x && x.GetProperty("state").GetString() == "WaitingForInvoice", "the payment to wait for its invoice");
        }
        finally
        {
            (await _mesh.Sandbox.DeleteAsync("/admin/faults/quickbooks")).EnsureSuccessStatusCode();
        }

        var settled = await _mesh.SettledAsync(payment, "Applied");

        Assert.That(Invoice(await _mesh.BooksAsync(), externalId).GetProperty("balance").GetDecimal(), Is.Zero);
        Assert.That(Story(settled), Is.EqualTo(new[] { "writeback_awaiting_invoices", "payment_written_back" }));
    }

    [Test]
    public async Task A_payment_that_fails_before_writeback_writes_nothing()
    {
        // An invoice that will never sync keeps the write waiting; the failure arrives meanwhile.
        var payment = await _mesh.PayAsync((_mesh.InvoiceIdFor($"never-{Guid.NewGuid():N}"), 50.00m));
        await Eventually.Until(() => _mesh.PaymentAsync(_mesh.MeshId(payment)), p => p is not null, "the payment to be accepted");
        await _mesh.FailAsync(payment);

        var settled = await _mesh.SettledAsync(payment, "Cancelled");

        Assert.That(Story(settled), Does.Contain("writeback_cancelled").And.Not.Contains("payment_written_back"));
    }

    [Test]
    public async Task A_failure_that_overtakes_its_payment_on_the_bus_is_not_lost()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        var payment = new PaymentProcessed($"pay_{Guid.NewGuid():N}", _mesh.Tenant, PaymentMethod.Ach, "USD", invoice.Total, 0.80m,
            [new PaymentAllocation(invoice.InvoiceId, invoice.Total)], DateTimeOffset.UtcNow);

        // The failure reaches PaymentEvents first (as after a crash or a database restart held the payment back).
        await _mesh.FailAsync(payment, "R01");
        await _mesh.PlatformBus.Publish(payment);
        var settled = await _mesh.SettledAsync(payment, "Cancelled", "Reversed");

        Assert.That(LivePaymentsFor(await _mesh.BooksAsync(), invoice.ExternalId), Is.Empty, "the returned payment is not in the books");
        Assert.That(settled.GetProperty("failedOnPlatform").GetBoolean(), Is.True);
    }

    [Test]
    public async Task An_ACH_return_after_writeback_voids_the_payment_and_reopens_the_invoice()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        var payment = await _mesh.PayAsync((invoice.InvoiceId, invoice.Total));
        await _mesh.SettledAsync(payment, "Applied");

        await _mesh.FailAsync(payment, "R01");
        var settled = await _mesh.SettledAsync(payment, "Reversed");

        var books = await _mesh.BooksAsync();
        Assert.That(Invoice(books, invoice.ExternalId).GetProperty("balance").GetDecimal(), Is.EqualTo(invoice.Total));
        Assert.That(LivePaymentsFor(books, invoice.ExternalId), Is.Empty);
        Assert.That(Story(settled), Is.EqualTo(new[] { "payment_written_back", "payment_reversed_in_integration" }));
    }

    [Test]
    public async Task A_stale_SyncToken_is_read_again_and_the_void_retried()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        var payment = await _mesh.PayAsync((invoice.InvoiceId, invoice.Total));
        await _mesh.SettledAsync(payment, "Applied");
        var staleBefore = (await _mesh.BooksAsync()).GetProperty("staleWritesRefused").GetInt64();

        // A bookkeeper saves the Payment in QuickBooks just before ReconMesh voids it: the void names a stale SyncToken.
        (await _mesh.Sandbox.PostAsJsonAsync($"/admin/qbo/companies/{PaymentScenarioHarness.Realm}/concurrent-edits", new { entity = "Payment", count = 1 }))
            .EnsureSuccessStatusCode();
        await _mesh.FailAsync(payment, "R01");
        var settled = await _mesh.SettledAsync(payment, "Reversed");

        var books = await _mesh.BooksAsync();
        Assert.That(books.GetProperty("staleWritesRefused").GetInt64(), Is.EqualTo(staleBefore + 1), "QuickBooks must have refused the first void with 5010");
        Assert.That(Invoice(books, invoice.ExternalId).GetProperty("balance").GetDecimal(), Is.EqualTo(invoice.Total));
        Assert.That(LivePaymentsFor(books, invoice.ExternalId), Is.Empty);
        Assert.That(Story(settled), Is.EqualTo(new[] { "payment_written_back", "payment_reversed_in_integration" }));
    }

    [Test]
    public async Task The_same_payment_delivered_three_times_is_booked_once()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        var payment = await _mesh.PayAsync((invoice.InvoiceId, invoice.Total));
        await _mesh.PlatformBus.Publish(payment);
        await _mesh.PlatformBus.Publish(payment);

        await _mesh.SettledAsync(payment, "Applied");

        Assert.That(LivePaymentsFor(await _mesh.BooksAsync(), invoice.ExternalId), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_429_storm_is_waited_out_within_the_limit()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        (await _mesh.Sandbox.PutAsJsonAsync("/admin/faults/quickbooks", new { throttleBurstRate = 0.3, throttleBurstLength = 4, seed = 3 })).EnsureSuccessStatusCode();
        try
        {
            var payment = await _mesh.PayAsync((invoice.InvoiceId, invoice.Total));
            await _mesh.SettledAsync(payment, "Applied");
        }
        finally
        {
            var faults = await _mesh.Sandbox.GetFromJsonAsync<JsonElement>("/admin/faults/quickbooks");
            (await _mesh.Sandbox.DeleteAsync("/admin/faults/quickbooks")).EnsureSuccessStatusCode();
            TestContext.Progress.WriteLine($"faults injected: {faults}");
        }

        Assert.That(LivePaymentsFor(await _mesh.BooksAsync(), invoice.ExternalId), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_write_whose_answer_was_lost_is_booked_exactly_once()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        // Half of QuickBooks' answers are lost after it committed the request; the seed makes the run repeatable.
        (await _mesh.Sandbox.PutAsJsonAsync("/admin/faults/quickbooks", new { timeoutAfterCommitRate = 0.5, seed = 7 })).EnsureSuccessStatusCode();
        JsonElement faults;
        try
        {
            var payment = await _mesh.PayAsync((invoice.InvoiceId, invoice.Total));
            await _mesh.SettledAsync(payment, "Applied");
        }
        finally
        {
            faults = await _mesh.Sandbox.GetFromJsonAsync<JsonElement>("/admin/faults/quickbooks");
            (await _mesh.Sandbox.DeleteAsync("/admin/faults/quickbooks")).EnsureSuccessStatusCode();
        }

        Assert.That(faults.GetProperty("counts").GetProperty("timeoutsAfterCommit").GetInt64(), Is.GreaterThan(0), "the fault must actually have fired");
        Assert.That(LivePaymentsFor(await _mesh.BooksAsync(), invoice.ExternalId), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task An_invoice_voided_before_writeback_needs_attention_and_nothing_is_written()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        await _mesh.VoidInvoiceAsync(invoice.ExternalId);

        var payment = await _mesh.PayAsync((invoice.InvoiceId, invoice.Total));
        var settled = await _mesh.SettledAsync(payment, "NeedsAttention");

        Assert.That(settled.GetProperty("reasonCode").GetString(), Is.EqualTo("invoice-voided"));
        Assert.That(LivePaymentsFor(await _mesh.BooksAsync(), invoice.ExternalId), Is.Empty);
        var queue = await _mesh.Writeback.GetFromJsonAsync<JsonElement>($"/tenants/{_mesh.Tenant}/exceptions", Json);
        Assert.That(queue.EnumerateArray().Select(e => e.GetProperty("meshPaymentId").GetGuid()), Does.Contain(_mesh.MeshId(payment)));

        using var dismissed = await _mesh.Writeback.PostAsJsonAsync($"/tenants/{_mesh.Tenant}/exceptions/{_mesh.MeshId(payment)}/dismiss",
            new { dismissedBy = "accountant", reason = "invoice voided on purpose; refunding the customer" });
        Assert.That(dismissed.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var final = await _mesh.SettledAsync(payment, "DismissedByPerson");
        Assert.That(Story(final), Is.EqualTo(new[] { "writeback_needs_attention", "exception_dismissed" }));
    }

    [Test]
    public async Task An_invoice_paid_by_cheque_before_writeback_needs_attention_and_a_retry_does_not_write_blindly()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        var current = (await _mesh.QuickBooksGetAsync($"invoice/{invoice.ExternalId}")).GetProperty("Invoice");
        await _mesh.QuickBooksPostAsync("payment", new
        {
            TotalAmt = invoice.Total,
            CustomerRef = new { value = current.GetProperty("CustomerRef").GetProperty("value").GetString() },
            PaymentRefNum = "CHEQUE-1041",
            Line = new[] { new { Amount = invoice.Total, LinkedTxn = new[] { new { TxnId = invoice.ExternalId, TxnType = "Invoice" } } } },
        });

        var payment = await _mesh.PayAsync((invoice.InvoiceId, invoice.Total));
        var settled = await _mesh.SettledAsync(payment, "NeedsAttention");
        using var retry = await _mesh.Writeback.PostAsJsonAsync($"/tenants/{_mesh.Tenant}/exceptions/{_mesh.MeshId(payment)}/retry", new { requestedBy = "accountant" });
        var again = await Eventually.Until(() => _mesh.PaymentAsync(_mesh.MeshId(payment)),
            p => p is { } x && Story(x).Count(e => e == "writeback_needs_attention") == 2 && x.GetProperty("state").GetString() == "NeedsAttention",
            "the retry to need attention again");

        Assert.That(settled.GetProperty("reasonCode").GetString(), Is.EqualTo("invoice-balance-changed"));
        Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(again!.Value.GetProperty("state").GetString(), Is.EqualTo("NeedsAttention"));
        Assert.That(LivePaymentsFor(await _mesh.BooksAsync(), invoice.ExternalId).Select(p => p.GetProperty("paymentRefNum").GetString()),
            Is.EqualTo(new[] { "CHEQUE-1041" }), "only the cheque is booked");
    }

    [Test]
    public async Task Another_tenant_cannot_see_or_touch_the_payment()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        var payment = await _mesh.PayAsync((invoice.InvoiceId, invoice.Total));
        await _mesh.SettledAsync(payment, "Applied");

        using var read = await _mesh.Writeback.GetAsync($"/tenants/someone-else/payments/{_mesh.MeshId(payment)}");
        using var retry = await _mesh.Writeback.PostAsJsonAsync($"/tenants/someone-else/exceptions/{_mesh.MeshId(payment)}/retry", new { requestedBy = "x" });

        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
