using ReconMesh.Contracts.Payments;
using ReconMesh.IntegrationTests.Infrastructure;
using static ReconMesh.IntegrationTests.Payments.XeroSandbox;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>
/// Payments written back to Xero (the simulator, over HTTP) through the whole mesh: one payment per invoice into the
/// clearing account, its reference carrying the mesh's marker; the invoice PAID when paid in full; deleted on an ACH
/// return or a chargeback, which reopens the invoice; exactly once under duplicates and lost answers (no idempotency key
/// is relied on: the marker is looked for before writing), never written to an invoice Xero no longer owes.
/// </summary>
[TestFixture]
public sealed class When_the_platform_pays_Xero_invoices
{
    private XeroScenarioHarness _mesh = null!;

    [OneTimeSetUp]
    public async Task Start() => _mesh = await XeroScenarioHarness.StartAsync(invoices: 20);

    [OneTimeTearDown]
    public async Task Stop() => await _mesh.DisposeAsync();

    [Test]
    public async Task A_full_payment_books_one_payment_with_the_marker_and_the_invoice_is_paid()
    {
        var invoice = await _mesh.TakeInvoiceAsync();

        var payment = await _mesh.PayAsync((invoice.InvoiceId, invoice.Total));
        var settled = await _mesh.SettledAsync(payment);

        var books = await _mesh.BooksAsync();
        var booked = Invoice(books, invoice.ExternalId);
        Assert.That(settled.GetProperty("state").GetString(), Is.EqualTo("Applied"));
        Assert.That((booked.GetProperty("status").GetString(), booked.GetProperty("amountDue").GetDecimal()), Is.EqualTo(("PAID", 0m)));
        var payments = PaymentsFor(books, invoice.ExternalId);
        Assert.That(payments, Has.Count.EqualTo(1));
        Assert.That(payments[0].GetProperty("amount").GetDecimal(), Is.EqualTo(invoice.Total));
        Assert.That(payments[0].GetProperty("accountCode").GetString(), Is.EqualTo(ClearingAccount));
        Assert.That(payments[0].GetProperty("reference").GetString(), Does.Contain(_mesh.MeshId(payment).ToString("N")).And.Contain(payment.PaymentId));
    }

    [Test]
    public async Task A_partial_payment_leaves_the_invoice_authorised_with_less_due()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        var part = decimal.Round(invoice.Total * 0.4m, 2);

        var settled = await _mesh.SettledAsync(await _mesh.PayAsync((invoice.InvoiceId, part)), "Applied");

        var booked = Invoice(await _mesh.BooksAsync(), invoice.ExternalId);
        Assert.That((booked.GetProperty("status").GetString(), booked.GetProperty("amountDue").GetDecimal()), Is.EqualTo(("AUTHORISED", invoice.Total - part)));
        Assert.That(settled.GetProperty("story").EnumerateArray().Select(e => e.GetProperty("event").GetString()), Does.Contain("payment_written_back"));
    }

    [Test]
    public async Task The_same_payment_delivered_three_times_is_booked_once()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        var payment = await _mesh.PayAsync((invoice.InvoiceId, invoice.Total));
        await _mesh.PlatformBus.Publish(payment);
        await _mesh.PlatformBus.Publish(payment);

        await _mesh.SettledAsync(payment, "Applied");

        Assert.That(PaymentsFor(await _mesh.BooksAsync(), invoice.ExternalId), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task An_ACH_return_after_writeback_deletes_the_payment_and_reopens_the_invoice()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        var payment = await _mesh.PayAsync((invoice.InvoiceId, invoice.Total));
        await _mesh.SettledAsync(payment, "Applied");
        Assert.That(Invoice(await _mesh.BooksAsync(), invoice.ExternalId).GetProperty("status").GetString(), Is.EqualTo("PAID"));

        await _mesh.FailAsync(payment, "R01");
        var settled = await _mesh.SettledAsync(payment, "Reversed");

        var books = await _mesh.BooksAsync();
        var booked = Invoice(books, invoice.ExternalId);
        Assert.That((booked.GetProperty("status").GetString(), booked.GetProperty("amountDue").GetDecimal()), Is.EqualTo(("AUTHORISED", invoice.Total)));
        Assert.That(PaymentsFor(books, invoice.ExternalId), Is.Empty);
        Assert.That(books.GetProperty("payments").EnumerateArray().Count(p => p.GetProperty("invoiceId").GetString() == invoice.ExternalId
            && p.GetProperty("status").GetString() == "DELETED"), Is.EqualTo(1), "the payment written, deleted");
        Assert.That(PaymentScenarioHarness.Story(settled), Is.EqualTo(new[] { "payment_written_back", "payment_reversed_in_integration" }));
    }

    [Test]
    public async Task A_chargeback_after_a_partial_payment_deletes_it_and_the_invoice_owes_it_again()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        var part = decimal.Round(invoice.Total / 3, 2);
        var payment = await _mesh.PayAsync((invoice.InvoiceId, part));
        await _mesh.SettledAsync(payment, "Applied");

        await _mesh.PlatformBus.Publish(new PaymentChargedBack(payment.PaymentId, payment.TenantId, $"dp_{Guid.NewGuid():N}", payment.Currency,
            payment.Amount, "10.4", "Fraud: card absent environment", DateTimeOffset.UtcNow));
        await _mesh.SettledAsync(payment, "Reversed");

        var books = await _mesh.BooksAsync();
        Assert.That(Invoice(books, invoice.ExternalId).GetProperty("amountDue").GetDecimal(), Is.EqualTo(invoice.Total));
        Assert.That(PaymentsFor(books, invoice.ExternalId), Is.Empty);
    }

    [Test]
    public async Task An_invoice_voided_by_hand_before_writeback_needs_attention_and_nothing_is_written()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        await _mesh.Xero.SetStatusAsync(invoice.ExternalId, "VOIDED");

        var settled = await _mesh.SettledAsync(await _mesh.PayAsync((invoice.InvoiceId, invoice.Total)), "NeedsAttention");

        Assert.That(settled.GetProperty("reasonCode").GetString(), Is.EqualTo("invoice-voided"));
        Assert.That(PaymentsFor(await _mesh.BooksAsync(), invoice.ExternalId), Is.Empty);
    }

    [Test]
    public async Task An_invoice_paid_by_hand_before_writeback_needs_attention_and_nothing_is_written()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        await _mesh.Xero.PayByHandAsync(invoice.ExternalId, invoice.Total);

        var settled = await _mesh.SettledAsync(await _mesh.PayAsync((invoice.InvoiceId, invoice.Total)), "NeedsAttention");

        Assert.That(settled.GetProperty("reasonCode").GetString(), Is.EqualTo("invoice-balance-changed"));
        Assert.That(PaymentsFor(await _mesh.BooksAsync(), invoice.ExternalId), Has.Count.EqualTo(1), "only the cheque is booked");
    }

    [Test]
    public async Task A_write_whose_answer_was_lost_is_found_not_repeated()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        // Half of all Xero requests are carried out and then lose their answer (the connection drops).
        var faults = await SandboxFaults.DuringAsync(_mesh.Sandbox, "xero", new { timeoutAfterCommitRate = 0.5, seed = 7 },
            async () => await _mesh.SettledAsync(await _mesh.PayAsync((invoice.InvoiceId, invoice.Total)), "Applied"));

        var books = await _mesh.BooksAsync();
        Assert.That(faults.GetProperty("counts").GetProperty("timeoutsAfterCommit").GetInt64(), Is.GreaterThan(0), faults.ToString());
        Assert.That(PaymentsFor(books, invoice.ExternalId), Has.Count.EqualTo(1));
        Assert.That(Invoice(books, invoice.ExternalId).GetProperty("amountDue").GetDecimal(), Is.Zero);
    }
}
