using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using RabbitMQ.Client;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Contracts.Payments;
using ReconMesh.EventSourcing.Relay;
using ReconMesh.IntegrationTests.Infrastructure;
using static ReconMesh.IntegrationTests.Payments.PaymentScenarioHarness;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>
/// Anti-entropy for payments (issue #16, "what the bus lost is never found again"). Two payments are settled (one applied,
/// one applied and then failed, so reversed). While WritebackService is down, three more are accepted by PaymentEvents (one
/// of them failed at once) and their <c>PaymentAccepted</c> and <c>PaymentFailureAccepted</c> wait in WritebackService's
/// reconciliation queue; an operator purges the queue. The payments are in PaymentEvents' streams, but WritebackService
/// never heard of them. The operator asks PaymentEvents to announce the tenant's payments since the outage again: the lost
/// payments are booked (the failed one is not). A second replay, of every payment, is taken as the repeat it is: the books
/// and every payment's story stay as they were.
/// </summary>
[TestFixture]
public sealed class When_the_bus_loses_payment_announcements
{
    /// <summary>WritebackService's queue of payment events (<c>PaymentReconciliationConsumerDefinition</c>).</summary>
    private const string ReconciliationQueue = "writeback.payment-reconciliation";

    private PaymentScenarioHarness _mesh = null!;
    private readonly List<(PaymentProcessed Payment, InvoiceSynced Invoice)> _settled = [];
    private readonly List<(PaymentProcessed Payment, InvoiceSynced Invoice)> _lost = [];
    private DateTimeOffset _outageBegan;
    private uint _purged;

    private PaymentProcessed LostAndFailed => _lost[2].Payment;

    [OneTimeSetUp]
    public async Task Start()
    {
        // Pages of two streams, so the replay crosses pages (production reads 500 at a time).
        _mesh = await PaymentScenarioHarness.StartAsync(invoices: 5,
            paymentEventsSettings: new Dictionary<string, string?> { [$"{ReplayOptions.Section}:{nameof(ReplayOptions.PageSize)}"] = "2" });
        for (var i = 0; i < 2; i++)
        {
            var invoice = await _mesh.TakeInvoiceAsync();
            _settled.Add((await _mesh.PayAsync((invoice.InvoiceId, invoice.Balance)), invoice));
            await _mesh.SettledAsync(_settled[i].Payment, "Applied");
        }

        await _mesh.FailAsync(_settled[1].Payment);
        await _mesh.SettledAsync(_settled[1].Payment, "Reversed");
        _outageBegan = DateTimeOffset.UtcNow;
        await _mesh.RestartWritebackAsync(whileStopped: PayAndPurgeWritebacksQueueAsync);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _mesh.DisposeAsync();

    [Test]
    [Order(1)]
    public async Task A_replay_since_the_outage_has_the_lost_payments_booked_once()
    {
        Assert.That(_purged, Is.GreaterThanOrEqualTo(4), "the lost payments' three PaymentAccepted and one PaymentFailureAccepted were purged");
        foreach (var (payment, _) in _lost)
        {
            Assert.That(await _mesh.PaymentAsync(_mesh.MeshId(payment)), Is.Null, "WritebackService never heard of the lost payment");
        }

        using var replay = await ReplayAsync($"?from={Uri.EscapeDataString(_outageBegan.ToString("O", CultureInfo.InvariantCulture))}");
        var counted = await replay.Content.ReadFromJsonAsync<JsonElement>(Json);
        Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), counted.ToString());
        Assert.That(counted.GetProperty("payments").GetInt32(), Is.EqualTo(3), $"the payments accepted since the outage, each once across pages: {counted}");
        Assert.That(counted.GetProperty("reversals").GetInt32(), Is.EqualTo(1));
        Assert.That(counted.GetProperty("messages").GetInt32(), Is.EqualTo(4));
        var applied = new[] { await _mesh.SettledAsync(_lost[0].Payment, "Applied"), await _mesh.SettledAsync(_lost[1].Payment, "Applied") };
        // Its failure may reach the write before or after the write booked it: either nothing is booked, or it is reversed.
        // A copy of the write still in flight when the failure cancelled it may book it a moment after; its booking is
        // then found and reversed (NoMoneyLeftBooked): the books are waited for, not read once.
        await _mesh.SettledAsync(LostAndFailed, "Cancelled", "Reversed");
        // The payment's own story is read beside the books, so that a wait that times out says which way it went.
        var seen = await Eventually.Until(async () => new BooksAndStory(await _mesh.PaymentAsync(_mesh.MeshId(LostAndFailed)), await _mesh.BooksAsync()),
            b => LivePaymentsFor(b.Books, _lost[2].Invoice.ExternalId).Count == 0, "the failed payment out of the books");
        var books = seen.Books;
        await _mesh.SettledAsync(LostAndFailed, "Cancelled", "Reversed"); // and its state after the reversal, if there was one

        Assert.That(applied.Select(a => Story(a).ToArray()), Has.All.EqualTo(new[] { "payment_written_back" }));
        Assert.That(LivePaymentsFor(books, _lost[0].Invoice.ExternalId), Has.Count.EqualTo(1));
        Assert.That(LivePaymentsFor(books, _lost[1].Invoice.ExternalId), Has.Count.EqualTo(1));
        Assert.That(LivePaymentsFor(books, _lost[2].Invoice.ExternalId), Is.Empty, "a failed payment stays out of the books");
    }

    [Test]
    [Order(2)]
    public async Task A_second_replay_of_every_payment_changes_nothing()
    {
        var all = _settled.Concat(_lost).ToList();
        await _mesh.SettledAsync(LostAndFailed, "Cancelled", "Reversed");
        var before = await StoriesAsync(all);
        var booksBefore = await _mesh.BooksAsync();
        var heard = new ReplayedPaymentEvents(_mesh.Tenant);
        var received = _mesh.WritebackBus.ConnectReceiveObserver(heard);
        var consumed = _mesh.WritebackBus.ConnectConsumeObserver(heard);
        try
        {
            using var replay = await ReplayAsync("");
            var counted = await replay.Content.ReadFromJsonAsync<JsonElement>(Json);
            Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), counted.ToString());
            var messages = counted.GetProperty("messages").GetInt32();
            // Each repeat was received and acknowledged by the reconciliation (after its batch was decided and stored).
            await Eventually.Until(() => Task.FromResult(heard.Received), n => n >= messages, $"WritebackService to take the {messages} repeats");

            var after = await StoriesAsync(all);
            var booksAfter = await _mesh.BooksAsync();
            Assert.That(counted.GetProperty("payments").GetInt32(), Is.EqualTo(all.Count));
            Assert.That(counted.GetProperty("reversals").GetInt32(), Is.EqualTo(2));
            Assert.That(messages, Is.EqualTo(all.Count + 2));
            Assert.That(after, Is.EqualTo(before), "no payment's state or story changed");
            Assert.That(booksAfter.GetProperty("payments").GetArrayLength(), Is.EqualTo(booksBefore.GetProperty("payments").GetArrayLength()),
                "nothing more was written to the books");
            foreach (var (payment, invoice) in all)
            {
                Assert.That(LivePaymentsFor(booksAfter, invoice.ExternalId), Has.Count.EqualTo(payment == _settled[1].Payment || payment == LostAndFailed ? 0 : 1),
                    $"payment {payment.PaymentId} is booked once, or not at all once failed");
            }
        }
        finally
        {
            received.Disconnect();
            consumed.Disconnect();
        }
    }

    [Test]
    public async Task A_range_that_is_not_one_is_refused_with_its_reason()
    {
        using var notATime = await ReplayAsync("?from=yesterday");
        using var backwards = await ReplayAsync("?from=2026-12-05T10:00:00Z&to=2026-12-05T09:00:00Z");

        foreach (var answer in new[] { notATime, backwards })
        {
            Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(answer.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        }

        Assert.That(await notATime.Content.ReadAsStringAsync(), Does.Not.Contain("yesterday"), "what was sent is not repeated");
    }

    [Test]
    public async Task Another_tenant_cannot_replay_the_payments_nor_see_them_in_its_own()
    {
        using var other = TestAuth.Operator(_mesh.PaymentEventsApi.BaseAddress!, "another-tenant");
        using var theirs = await other.PostAsync($"/tenants/{_mesh.Tenant}/payments/replay", null);
        using var own = await other.PostAsync("/tenants/another-tenant/payments/replay", null);
        var counted = await own.Content.ReadFromJsonAsync<JsonElement>(Json);

        Assert.That(theirs.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(counted.GetProperty("payments").GetInt32(), Is.Zero);
    }

    /// <summary>The failed payment as WritebackService tells it (state and story) and the books, read together.</summary>
    private sealed record BooksAndStory(JsonElement? Payment, JsonElement Books);

    private Task<HttpResponseMessage> ReplayAsync(string query) =>
        _mesh.PaymentEventsApi.PostAsync($"/tenants/{_mesh.Tenant}/payments/replay{query}", null);

    private async Task<List<string>> StoriesAsync(IEnumerable<(PaymentProcessed Payment, InvoiceSynced Invoice)> payments)
    {
        var stories = new List<string>();
        foreach (var (payment, _) in payments)
        {
            var state = (await _mesh.PaymentAsync(_mesh.MeshId(payment)))!.Value;
            stories.Add($"{payment.PaymentId}: {state.GetProperty("state").GetString()} [{string.Join(", ", Story(state))}]");
        }

        return stories;
    }

    /// <summary>
    /// Three payments while WritebackService is down (the third failed at once); once their events wait in its queue, the
    /// queue is purged.
    /// </summary>
    private async Task PayAndPurgeWritebacksQueueAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            var invoice = await _mesh.TakeInvoiceAsync();
            _lost.Add((await _mesh.PayAsync((invoice.InvoiceId, invoice.Balance)), invoice));
        }

        await _mesh.FailAsync(LostAndFailed);
        await using var amqp = await new ConnectionFactory { Uri = new Uri(_mesh.RabbitMqUrl) }.CreateConnectionAsync();
        await Eventually.Until(() => QueueDepth.CountAsync(amqp, ReconciliationQueue), n => n >= 4,
            "the lost payments' events to wait in WritebackService's queue");
        await using var channel = await amqp.CreateChannelAsync();
        _purged = await channel.QueuePurgeAsync(ReconciliationQueue);
    }

    /// <summary>
    /// Counts the tenant's <c>PaymentAccepted</c> and <c>PaymentFailureAccepted</c> that WritebackService's reconciliation
    /// finished receiving: noted when one is dispatched to a consumer there, counted when its receive ends (it is
    /// acknowledged only after its consumer, or its batch, decided and stored what it decided).
    /// </summary>
    private sealed class ReplayedPaymentEvents(string tenant) : IReceiveObserver, IConsumeObserver
    {
        private readonly ConcurrentDictionary<ReceiveContext, byte> _dispatched = new();
        private int _received;

        public int Received => Volatile.Read(ref _received);

        public Task PreConsume<T>(ConsumeContext<T> context)
            where T : class
        {
            var ours = context.Message switch
            {
                PaymentAccepted p => p.TenantId == tenant,
                PaymentFailureAccepted f => f.TenantId == tenant,
                _ => false,
            };
            if (ours && context.ReceiveContext.InputAddress.AbsolutePath.EndsWith(ReconciliationQueue, StringComparison.Ordinal))
            {
                _dispatched.TryAdd(context.ReceiveContext, 0);
            }

            return Task.CompletedTask;
        }

        public Task PostReceive(ReceiveContext context)
        {
            if (_dispatched.TryRemove(context, out _))
            {
                Interlocked.Increment(ref _received);
            }

            return Task.CompletedTask;
        }

        public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

        public Task PostConsume<T>(ConsumeContext<T> context)
            where T : class => Task.CompletedTask;

        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
            where T : class => Task.CompletedTask;

        public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType)
            where T : class => Task.CompletedTask;

        public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception)
            where T : class => Task.CompletedTask;

        public Task ReceiveFault(ReceiveContext context, Exception exception) => Task.CompletedTask;
    }
}
