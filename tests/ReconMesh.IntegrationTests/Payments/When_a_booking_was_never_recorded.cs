using System.Net.Http.Json;
using System.Text.Json;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Contracts.Payments;
using ReconMesh.Integrations.Writeback;
using ReconMesh.IntegrationTests.Infrastructure;
using static ReconMesh.IntegrationTests.Payments.PaymentScenarioHarness;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>
/// Found by the chaos run: a write booked a payment in QuickBooks and the database went away before the booking was
/// recorded, so the payment's writeback stream held nothing. The platform then returned the payment; the copy of the write
/// carrying the failure saw an empty stream and recorded "cancelled, nothing was written", the first copy's retry found
/// the payment cancelled and did nothing, and the returned payment stayed in the books with nobody told. Here the lost
/// record is made by booking the payment as the adapter would, and QuickBooks throttles every request until the failure
/// has been heard, so the first copy cannot record anything before the copy carrying the failure decides.
/// </summary>
[TestFixture]
public sealed class When_a_booking_was_never_recorded
{
    private PaymentScenarioHarness _mesh = null!;

    [OneTimeSetUp]
    public async Task Start() => _mesh = await PaymentScenarioHarness.StartAsync(invoices: 4, writebackSettings: new Dictionary<string, string?>
    {
        ["ReconMesh:Writeback:TransientWaitTiers"] = "00:00:01,00:00:02",
        ["ReconMesh:Writeback:TransientInSlotRetries"] = "0",
    });

    [OneTimeTearDown]
    public async Task Stop() => await _mesh.DisposeAsync();

    [Test]
    public async Task A_return_reverses_what_the_books_hold_instead_of_cancelling()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        var payment = PaymentOf(invoice);
        await BookAsAnEarlierWriteAsync(invoice, payment);

        await PutFaultsAsync(new { throttleBurstRate = 1.0, throttleBurstLength = 1, seed = 7 });
        try
        {
            await _mesh.PlatformBus.Publish(payment);
            await Eventually.Until(() => _mesh.PaymentAsync(_mesh.MeshId(payment)), p => p is { } x && Waits(x).Count >= 1,
                "the write to wait for QuickBooks");
            await _mesh.FailAsync(payment, "R01");
            // The copy of the write carrying the failure has decided: it cancelled, or it looked in QuickBooks and waits.
            await Eventually.Until(() => _mesh.PaymentAsync(_mesh.MeshId(payment)),
                p => p is { } x && (x.GetProperty("state").GetString() == "Cancelled" || Waits(x).Count(w => w.GetProperty("wait").GetInt32() == 1) >= 2),
                "the copy carrying the failure to decide", TimeSpan.FromSeconds(90));
        }
        finally
        {
            (await _mesh.Sandbox.DeleteAsync("/admin/faults/quickbooks")).EnsureSuccessStatusCode();
        }

        var settled = await _mesh.SettledAsync(payment, "Reversed", "Cancelled");
        var books = await _mesh.BooksAsync();
        Assert.Multiple(() =>
        {
            Assert.That(settled.GetProperty("state").GetString(), Is.EqualTo("Reversed"), "the booking found is reverted, not forgotten");
            Assert.That(LivePaymentsFor(books, invoice.ExternalId), Is.Empty, "the returned payment is not in the books");
            Assert.That(Invoice(books, invoice.ExternalId).GetProperty("balance").GetDecimal(), Is.EqualTo(invoice.Total));
        });
    }

    [Test]
    public async Task A_return_while_a_person_has_the_write_reverses_what_the_books_hold()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        var payment = PaymentOf(invoice);
        await BookAsAnEarlierWriteAsync(invoice, payment);
        // Every read of the invoice is refused, so the write can neither find its booking nor write: it needs a person.
        await _mesh.RefuseInvoiceReadsAsync(invoice, times: 50);
        try
        {
            await _mesh.PlatformBus.Publish(payment);
            await _mesh.SettledAsync(payment, "NeedsAttention");
        }
        finally
        {
            (await _mesh.Sandbox.DeleteAsync("/admin/faults/quickbooks/answers")).EnsureSuccessStatusCode();
        }

        await _mesh.FailAsync(payment, "R01");
        var settled = await _mesh.SettledAsync(payment, "Reversed", "Cancelled");

        var books = await _mesh.BooksAsync();
        Assert.Multiple(() =>
        {
            Assert.That(settled.GetProperty("state").GetString(), Is.EqualTo("Reversed"), "the booking found is reverted, not forgotten");
            Assert.That(LivePaymentsFor(books, invoice.ExternalId), Is.Empty, "the returned payment is not in the books");
            Assert.That(Story(settled), Does.Contain("payment_written_back").And.Contain("payment_reversed_in_integration"));
        });
    }

    /// <summary>
    /// The other order: the platform's failure looked first, found nothing and cancelled; a write already under way booked
    /// the payment after that look, and could not record the booking either (the store away). The write's retry brings the
    /// acceptance again, to a cancelled reconciliation: its write looks once more, and what it finds is reverted. Here the
    /// cancellation is reached through a write that needed a person, the late booking is made as the adapter makes it, and
    /// the retry is the operator's replay of the payment, which delivers the same acceptance again.
    /// </summary>
    [Test]
    public async Task An_acceptance_repeated_after_the_cancellation_reverses_a_booking_made_after_its_look()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        var payment = PaymentOf(invoice);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        // Every read of the invoice is refused, so nothing is written and the write needs a person; the platform's failure
        // then finds nothing booked, and the payment is cancelled.
        await _mesh.RefuseInvoiceReadsAsync(invoice, times: 50);
        try
        {
            await _mesh.PlatformBus.Publish(payment);
            await _mesh.SettledAsync(payment, "NeedsAttention");
            await _mesh.FailAsync(payment, "R01");
        }
        finally
        {
            (await _mesh.Sandbox.DeleteAsync("/admin/faults/quickbooks/answers")).EnsureSuccessStatusCode();
        }

        var cancelled = await _mesh.SettledAsync(payment, "Cancelled");
        Assert.That(LivePaymentsFor(await _mesh.BooksAsync(), invoice.ExternalId), Is.Empty, "nothing was booked when it was cancelled");

        await BookAsAnEarlierWriteAsync(invoice, payment);
        using var replay = await _mesh.PaymentEventsApi.PostAsync(
            $"/tenants/{_mesh.Tenant}/payments/replay?from={Uri.EscapeDataString(before.ToString("O", System.Globalization.CultureInfo.InvariantCulture))}", null);
        Assert.That((int)replay.StatusCode, Is.EqualTo(202), await replay.Content.ReadAsStringAsync());

        var settled = await _mesh.SettledAsync(payment, "Reversed");
        var books = await _mesh.BooksAsync();
        Assert.Multiple(() =>
        {
            Assert.That(Story(cancelled), Does.Contain("writeback_cancelled").And.Not.Contains("payment_written_back"));
            Assert.That(Story(settled), Does.Contain("payment_written_back").And.Contain("payment_reversed_in_integration"),
                "the booking found is recorded after the cancellation, then reverted");
            Assert.That(LivePaymentsFor(books, invoice.ExternalId), Is.Empty, "the returned payment is not in the books");
            Assert.That(Invoice(books, invoice.ExternalId).GetProperty("balance").GetDecimal(), Is.EqualTo(invoice.Total));
        });
    }

    /// <summary>A payment of the whole invoice, not published yet.</summary>
    private PaymentProcessed PaymentOf(InvoiceSynced invoice) =>
        new($"pay_{Guid.NewGuid():N}", _mesh.Tenant, PaymentMethod.Ach, "USD", invoice.Total, 0.80m,
            [new PaymentAllocation(invoice.InvoiceId, invoice.Total)], DateTimeOffset.UtcNow);

    /// <summary>The payment booked as the adapter books it (its marker in the note), with nothing recorded in the mesh.</summary>
    private Task<JsonElement> BookAsAnEarlierWriteAsync(InvoiceSynced invoice, PaymentProcessed payment) =>
        _mesh.QuickBooksPostAsync("payment", new
        {
            TotalAmt = invoice.Total,
            CustomerRef = new { value = invoice.CustomerExternalId },
            PrivateNote = $"{IdempotencyKeys.Marker(_mesh.MeshId(payment))} (platform payment {payment.PaymentId})",
            Line = new[] { new { Amount = invoice.Total, LinkedTxn = new[] { new { TxnId = invoice.ExternalId, TxnType = "Invoice" } } } },
        });

    private async Task PutFaultsAsync(object profile) =>
        (await _mesh.Sandbox.PutAsJsonAsync("/admin/faults/quickbooks", profile)).EnsureSuccessStatusCode();
}
