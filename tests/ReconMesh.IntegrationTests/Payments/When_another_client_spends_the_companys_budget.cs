using System.Net.Http.Json;
using System.Text.Json;
using ReconMesh.Contracts.Payments;
using ReconMesh.Contracts.Payouts;
using ReconMesh.IntegrationTests.Infrastructure;
using static ReconMesh.IntegrationTests.Payments.PaymentScenarioHarness;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>
/// Transient is never a person's work. Another client of the tenant's QuickBooks company spends its request budget, so
/// QuickBooks answers every request with 429 (the sandbox's throttle, <c>Retry-After: 1</c>) for longer than the retries
/// in a consumer's slot last; the mesh's own limiter is off. Each write waits aside in a wait queue (short tiers here),
/// its story shows the wait, and once the budget is back every payment is Applied with nobody asked. A refusal no wait
/// can fix still goes straight to the exceptions queue, and a wait survives a restart of WritebackService. Run with
/// WritebackService's queues classic and quorum (production's), whose wait queues dead-letter at least once.
/// </summary>
[TestFixture(false)]
[TestFixture(true)]
public sealed class When_another_client_spends_the_companys_budget(bool quorum)
{
    private PaymentScenarioHarness _mesh = null!;

    [OneTimeSetUp]
    public async Task Start() => _mesh = await PaymentScenarioHarness.StartAsync(invoices: 12, writebackSettings: new Dictionary<string, string?>
    {
        ["ReconMesh:Writeback:TransientWaitTiers"] = "00:00:01,00:00:02",
        ["ReconMesh:Writeback:TransientInSlotRetries"] = "0",
        ["ReconMesh:QuorumQueues"] = quorum ? "true" : "false",
    });

    [OneTimeTearDown]
    public async Task Stop() => await _mesh.DisposeAsync();

    [Test]
    public async Task Every_payment_waits_for_the_budget_and_is_applied_without_a_person()
    {
        var invoices = new[] { await _mesh.TakeInvoiceAsync(), await _mesh.TakeInvoiceAsync(), await _mesh.TakeInvoiceAsync() };
        List<PaymentProcessed> payments = [];
        await ThrottleAsync();
        try
        {
            foreach (var invoice in invoices)
            {
                payments.Add(await _mesh.PayAsync((invoice.InvoiceId, invoice.Total)));
            }

            // The first waits twice at least, so the count and the first failure are seen to travel with the message.
            await WaitingAsync(payments[0], waits: 2);
            foreach (var payment in payments.Skip(1))
            {
                await WaitingAsync(payment);
            }
        }
        finally
        {
            await UnthrottleAsync();
        }

        var settled = new List<JsonElement>();
        foreach (var payment in payments)
        {
            settled.Add(await _mesh.SettledAsync(payment, "Applied"));
        }

        var books = await _mesh.BooksAsync();
        Assert.Multiple(() =>
        {
            Assert.That(invoices.Select(i => LivePaymentsFor(books, i.ExternalId).Count), Is.All.EqualTo(1), "each payment is booked once");
            Assert.That(settled.Select(s => Story(s).Last()), Is.All.EqualTo("payment_written_back"));
            Assert.That(Waits(settled[0]).Select(w => w.GetProperty("cause").GetString()), Is.Not.Empty.And.All.EqualTo("throttled"));
            Assert.That(Waits(settled[0]).Select(w => w.GetProperty("wait").GetInt32()), Is.EqualTo(Enumerable.Range(1, Waits(settled[0]).Count)));
            Assert.That(Waits(settled[0]).Select(w => w.GetProperty("firstFailedAt").GetDateTimeOffset()).Distinct().Count(), Is.EqualTo(1),
                "the horizon is counted from the first failure");
            Assert.That(Waits(settled[0])[0].GetProperty("nextAttemptAt").GetDateTimeOffset(), Is.GreaterThan(
                Waits(settled[0])[0].GetProperty("notedAt").GetDateTimeOffset()), "the story says when the next attempt is");
        });
        var ids = payments.Select(p => _mesh.MeshId(p).ToString()).ToList();
        Assert.That((await ExceptionsAsync()).Select(e => e.GetProperty("meshPaymentId").GetString()).Intersect(ids), Is.Empty, "nobody is asked");
    }

    [TestCase(400, "{\"Fault\":{\"Error\":[{\"Message\":\"Invalid Reference Id\",\"code\":\"2500\"}],\"type\":\"ValidationFault\"}}")]
    [TestCase(401, "{\"Fault\":{\"Error\":[{\"Message\":\"AuthenticationFailed\",\"code\":\"3200\"}],\"type\":\"AUTHENTICATION\"}}")]
    public async Task A_refusal_no_wait_can_fix_goes_straight_to_the_exceptions_queue(int status, string body)
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        using (var scripted = await _mesh.Sandbox.PostAsJsonAsync("/admin/faults/quickbooks/answers", new
        {
            match = $"POST /v3/company/{Realm}/payment", status, contentType = "application/json", body, times = 50,
        }))
        {
            Assert.That((int)scripted.StatusCode, Is.EqualTo(201), await scripted.Content.ReadAsStringAsync());
        }

        JsonElement settled;
        try
        {
            settled = await _mesh.SettledAsync(await _mesh.PayAsync((invoice.InvoiceId, invoice.Total)), "NeedsAttention");
        }
        finally
        {
            (await _mesh.Sandbox.DeleteAsync("/admin/faults/quickbooks/answers")).EnsureSuccessStatusCode();
        }

        Assert.Multiple(() =>
        {
            Assert.That(settled.GetProperty("reasonCode").GetString(), Is.EqualTo("writeback-failed"));
            Assert.That(settled.GetProperty("reason").GetString(), Does.Contain($"HTTP {status}").Or.Contain("QuickBooks fault"));
            Assert.That(Story(settled), Does.Not.Contain("writeback_waiting"), "a refusal is not waited for");
        });
    }

    [Test]
    public async Task A_wait_survives_a_restart_of_the_WritebackService()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        PaymentProcessed payment;
        await ThrottleAsync();
        try
        {
            payment = await _mesh.PayAsync((invoice.InvoiceId, invoice.Total));
            await WaitingAsync(payment);
            // Whatever the service held in memory is gone; the waiting command is in the broker's wait queue.
            await _mesh.RestartWritebackAsync(whileStopped: UnthrottleAsync);
        }
        finally
        {
            await UnthrottleAsync();
        }

        var settled = await _mesh.SettledAsync(payment, "Applied");

        Assert.That(Story(settled), Does.Contain("writeback_waiting").And.Contain("payment_written_back"));
        Assert.That(LivePaymentsFor(await _mesh.BooksAsync(), invoice.ExternalId), Has.Count.EqualTo(1));
    }

    /// <summary>
    /// Found by the chaos run on a three-node cluster: with quorum asked for, every endpoint queue was still classic (the
    /// bus-wide SetQuorumQueue reaches only the bus's own queue), so a SIGKILLed node took its queues away and what was
    /// published to them meanwhile was dropped. A declare that names the type is accepted only by a queue of that type.
    /// </summary>
    [TestCase(ReconMesh.WritebackService.Reconciliation.WritePaymentBackConsumerDefinition.QueueName)]
    [TestCase(ReconMesh.WritebackService.Reconciliation.ReversePaymentConsumerDefinition.QueueName)]
    [TestCase(ReconMesh.WritebackService.Invoices.InvoicesSyncedConsumerDefinition.QueueName)]
    public async Task Its_endpoint_queues_are_of_the_type_asked_for(string queue)
    {
        await using var amqp = await new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(_mesh.RabbitMqUrl) }.CreateConnectionAsync();
        await using var channel = await amqp.CreateChannelAsync();
        var type = quorum ? "quorum" : "classic";
        Assert.That(async () => await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
            new Dictionary<string, object?> { ["x-queue-type"] = type }), Throws.Nothing, $"{queue} is a {type} queue");
    }

    [Test]
    public async Task A_payout_deposited_while_the_budget_is_spent_waits_and_is_deposited_without_a_person()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        var payment = await _mesh.PayAsync((invoice.InvoiceId, invoice.Total));
        await _mesh.SettledAsync(payment, "Applied");
        var payout = new PayoutPaid($"po_{Guid.NewGuid():N}", _mesh.Tenant, "USD", payment.Amount - 1.00m,
            [new PayoutPayment(payment.PaymentId, payment.Amount, 1.00m)], DateTimeOffset.UtcNow);
        await ThrottleAsync();
        try
        {
            await _mesh.PlatformBus.Publish(payout);
            // Before, the deposit was retried in its slot and then became a payout exception for a person.
            await Eventually.Until(DepositsWaitingAsync, n => n > 0, "the deposit to wait aside for the budget", TimeSpan.FromSeconds(90));
        }
        finally
        {
            await UnthrottleAsync();
        }

        var outcome = await _mesh.PayoutOutcomeAsync(payout.PayoutId);
        var books = await _mesh.BooksAsync();
        Assert.That(outcome.GetProperty("outcome").GetString(), Is.EqualTo("Deposited"), outcome.ToString());
        Assert.That(books.GetProperty("deposits").EnumerateArray().Count(d => d.GetProperty("totalAmt").GetDecimal() == payout.Amount), Is.EqualTo(1));
    }

    /// <summary>The payouts' deposits waiting aside (the fixture's tiers: 1 s and 2 s).</summary>
    private async Task<uint> DepositsWaitingAsync()
    {
        await using var amqp = await new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(_mesh.RabbitMqUrl) }.CreateConnectionAsync();
        return await QueueDepth.CountAsync(amqp, "writeback.payout-deposits.wait-1s") + await QueueDepth.CountAsync(amqp, "writeback.payout-deposits.wait-2s");
    }

    private Task ThrottleAsync() => PutFaultsAsync(new { throttleBurstRate = 1.0, throttleBurstLength = 1, seed = 7 });

    private async Task UnthrottleAsync() => (await _mesh.Sandbox.DeleteAsync("/admin/faults/quickbooks")).EnsureSuccessStatusCode();

    private async Task PutFaultsAsync(object profile) =>
        (await _mesh.Sandbox.PutAsJsonAsync("/admin/faults/quickbooks", profile)).EnsureSuccessStatusCode();

    private Task<JsonElement?> WaitingAsync(PaymentProcessed payment, int waits = 1) =>
        Eventually.Until(() => _mesh.PaymentAsync(_mesh.MeshId(payment)), p => p is { } x && Waits(x).Count >= waits,
            $"payment {payment.PaymentId} to wait for the budget", TimeSpan.FromSeconds(90));


    private async Task<List<JsonElement>> ExceptionsAsync() =>
        (await _mesh.Writeback.GetFromJsonAsync<List<JsonElement>>($"/tenants/{_mesh.Tenant}/exceptions", Json))!;
}
