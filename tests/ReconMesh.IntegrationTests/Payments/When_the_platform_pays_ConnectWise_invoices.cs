using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using ReconMesh.Contracts.Payments;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.WritebackService.Reconciliation;
using static ReconMesh.IntegrationTests.Payments.ConnectWiseSandbox;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>
/// Payments written back to ConnectWise PSA (the simulator, over HTTP) through the whole mesh: an invoice payment per
/// invoice and the Closed billing status when paid in full, reverted on an ACH return, exactly once under duplicates and
/// lost answers (ConnectWise has no idempotency key: the marker is looked up before writing), never written blindly.
/// </summary>
[TestFixture]
public sealed class When_the_platform_pays_ConnectWise_invoices
{
    private ConnectWiseScenarioHarness _mesh = null!;

    [OneTimeSetUp]
    public async Task Start() => _mesh = await ConnectWiseScenarioHarness.StartAsync(invoices: 20);

    [OneTimeTearDown]
    public async Task Stop() => await _mesh.DisposeAsync();

    [Test]
    public async Task A_full_payment_posts_one_payment_and_closes_the_invoice()
    {
        var invoice = await _mesh.TakeInvoiceAsync();

        var payment = await _mesh.PayAsync((invoice.InvoiceId, invoice.Total));
        var settled = await _mesh.SettledAsync(payment);

        var books = await _mesh.BooksAsync();
        var booked = Invoice(books, invoice.ExternalId);
        Assert.That(settled.GetProperty("state").GetString(), Is.EqualTo("Applied"));
        Assert.That(booked.GetProperty("balance").GetDecimal(), Is.Zero);
        Assert.That(booked.GetProperty("closed").GetBoolean(), Is.True, booked.ToString());
        Assert.That(booked.GetProperty("statusId").GetInt32(), Is.EqualTo(ClosedStatus));
        var payments = PaymentsFor(books, invoice.ExternalId);
        Assert.That(payments, Has.Count.EqualTo(1));
        Assert.That(payments[0].GetProperty("amount").GetDecimal(), Is.EqualTo(invoice.Total));
        var written = await _mesh.ConnectWise.GetFromJsonAsync<JsonElement>($"finance/invoices/{invoice.ExternalId}/payments/{payments[0].GetProperty("id").GetInt32()}");
        Assert.That(written.GetProperty("appliedBy").GetString(), Does.Contain(_mesh.MeshId(payment).ToString("N")), "the marker");
    }

    [Test]
    public async Task A_payment_whose_write_command_died_with_the_process_is_written_when_its_acceptance_comes_again()
    {
        // What a SIGKILL between saving the saga and sending its command leaves (found by ./run chaos): the saga is
        // saved on its way (WritingBack), the command to write never left the process, and the acceptance that caused
        // both was not acknowledged, so it comes again.
        var invoice = await _mesh.TakeInvoiceAsync();
        var payment = new PaymentProcessed($"pay_{Guid.NewGuid():N}", _mesh.Tenant, PaymentMethod.Ach, "USD", invoice.Total, 0.80m,
            [new PaymentAllocation(invoice.InvoiceId, invoice.Total)], DateTimeOffset.UtcNow);
        await using (var session = _mesh.WritebackServices.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            session.Insert(new PaymentReconciliation
            {
                CorrelationId = _mesh.MeshId(payment), CurrentState = "WritingBack", PaymentId = payment.PaymentId, TenantId = _mesh.Tenant,
                Currency = "USD", Amount = invoice.Total, Allocations = [.. payment.Allocations], ProcessedAt = payment.ProcessedAt,
            });
            await session.SaveChangesAsync();
        }

        await _mesh.PlatformBus.Publish(payment);
        await _mesh.SettledAsync(payment, "Applied");

        var payments = PaymentsFor(await _mesh.BooksAsync(), invoice.ExternalId);
        Assert.That(payments, Has.Count.EqualTo(1));
        Assert.That(payments[0].GetProperty("amount").GetDecimal(), Is.EqualTo(invoice.Total));
    }

    [Test]
    public async Task A_partial_payment_leaves_the_invoice_open_with_a_reduced_balance()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        var part = decimal.Round(invoice.Total * 0.4m, 2);

        await _mesh.SettledAsync(await _mesh.PayAsync((invoice.InvoiceId, part)), "Applied");

        var booked = Invoice(await _mesh.BooksAsync(), invoice.ExternalId);
        Assert.That(booked.GetProperty("balance").GetDecimal(), Is.EqualTo(invoice.Total - part));
        Assert.That(booked.GetProperty("closed").GetBoolean(), Is.False);
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
        Assert.That(Invoice(await _mesh.BooksAsync(), invoice.ExternalId).GetProperty("closed").GetBoolean(), Is.True);

        await _mesh.FailAsync(payment, "R01");
        var settled = await _mesh.SettledAsync(payment, "Reversed");

        var books = await _mesh.BooksAsync();
        var booked = Invoice(books, invoice.ExternalId);
        Assert.That(booked.GetProperty("balance").GetDecimal(), Is.EqualTo(invoice.Total));
        Assert.That(booked.GetProperty("closed").GetBoolean(), Is.False, booked.ToString());
        Assert.That(PaymentsFor(books, invoice.ExternalId), Is.Empty);
        Assert.That(PaymentScenarioHarness.Story(settled), Is.EqualTo(new[] { "payment_written_back", "payment_reversed_in_integration" }));
    }

    [Test]
    public async Task A_chargeback_after_writeback_deletes_the_payment_and_reopens_the_invoice()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        var payment = await _mesh.PayAsync((invoice.InvoiceId, invoice.Total));
        await _mesh.SettledAsync(payment, "Applied");

        await _mesh.PlatformBus.Publish(new PaymentChargedBack(payment.PaymentId, payment.TenantId, $"dp_{Guid.NewGuid():N}", payment.Currency,
            payment.Amount, "10.4", "Fraud: card absent environment", DateTimeOffset.UtcNow));
        var settled = await _mesh.SettledAsync(payment, "Reversed");

        var booked = Invoice(await _mesh.BooksAsync(), invoice.ExternalId);
        Assert.That(booked.GetProperty("balance").GetDecimal(), Is.EqualTo(invoice.Total));
        Assert.That(booked.GetProperty("closed").GetBoolean(), Is.False, booked.ToString());
        Assert.That(PaymentsFor(await _mesh.BooksAsync(), invoice.ExternalId), Is.Empty);
        Assert.That(PaymentScenarioHarness.Story(settled), Is.EqualTo(new[] { "payment_written_back", "payment_reversed_in_integration" }));
    }

    [Test]
    public async Task An_invoice_paid_by_hand_before_writeback_needs_attention_and_nothing_is_written()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        await PostAsync(_mesh.ConnectWise, $"finance/invoices/{invoice.ExternalId}/payments",
            new { type = "Payment", amount = invoice.Total, paymentDate = "2024-03-01T00:00:00Z", appliedBy = "cheque 1041" });

        var payment = await _mesh.PayAsync((invoice.InvoiceId, invoice.Total));
        var settled = await _mesh.SettledAsync(payment, "NeedsAttention");

        Assert.That(settled.GetProperty("reasonCode").GetString(), Is.EqualTo("invoice-balance-changed"));
        var payments = PaymentsFor(await _mesh.BooksAsync(), invoice.ExternalId);
        Assert.That(payments, Has.Count.EqualTo(1), "only the cheque is booked");
    }

    [Test]
    public async Task A_write_whose_answer_was_lost_is_found_not_repeated()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        // Half of all ConnectWise requests are carried out and then lose their answer (the connection drops).
        var faults = await SandboxFaults.DuringAsync(_mesh.Sandbox, "connectwise", new { timeoutAfterCommitRate = 0.5, seed = 7 },
            async () => await _mesh.SettledAsync(await _mesh.PayAsync((invoice.InvoiceId, invoice.Total)), "Applied"));

        var books = await _mesh.BooksAsync();
        Assert.That(faults.GetProperty("counts").GetProperty("timeoutsAfterCommit").GetInt64(), Is.GreaterThan(0), faults.ToString());
        Assert.That(PaymentsFor(books, invoice.ExternalId), Has.Count.EqualTo(1));
        Assert.That(Invoice(books, invoice.ExternalId).GetProperty("balance").GetDecimal(), Is.Zero);
    }
}
