using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using ReconMesh.Contracts;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Contracts.Payments;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.IntegrationTests.Payments;
using ReconMesh.EventSourcing.Identity;
using ReconMesh.ServiceDefaults.Messaging;
using ReconMesh.ServiceDefaults.Security;
using ReconMesh.WritebackService.Reconciliation;

namespace ReconMesh.IntegrationTests.Security;

/// <summary>
/// The bus as deployed: the users and permissions of deploy/local/rabbitmq-users.sh applied to this run's virtual host,
/// the three services each connected as its own user, the platform and a connector team as theirs, on a real RabbitMQ.
/// The broker refuses what a role may not do; a forged internal message that gets past it (published by someone who
/// holds the administrator's credentials) changes nothing and is recorded where a person sees it.
/// </summary>
[TestFixture]
public sealed class When_publishers_reach_for_the_bus
{
    private const string Realm = "9130000000000915";
    private const string Token = "bus-token";
    private const ushort AccessRefused = 403;

    // The exchanges only the services may write: MassTransit's names for WritebackService's commands, the relayed
    // events of the mesh, and a service's own endpoint.
    private static readonly string[] Internal =
    [
        "ReconMesh.WritebackService.Reconciliation:WritePaymentBack", "ReconMesh.WritebackService.Reconciliation:ReversePayment",
        "ReconMesh.WritebackService.Reconciliation:RetryExceptionRequested", "MassTransit:Fault--ReconMesh.WritebackService.Reconciliation:WritePaymentBack--",
        "reconmesh.payments.payment-accepted", "reconmesh.payments.payment-failure-accepted", "reconmesh.invoices.invoices-synced", "reconmesh.invoices.invoice-synced",
        "reconmesh.connections.connection-added", "reconmesh.payouts.payout-accepted", "writeback.write-payment", "",
    ];

    private readonly string _tenant = $"victim-{Guid.NewGuid():N}";
    private readonly string _forger = $"forger-{Guid.NewGuid():N}";
    private readonly HashSet<Guid> _taken = [];
    private Mesh _mesh = null!;
    private BusUsers _users = null!;
    private IBusControl _platform = null!;
    private HttpClient _writeback = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _mesh = await Mesh.StartSandboxAsync();
        _users = await BusUsers.ApplyAsync(_mesh.Servers.RabbitMqUrl);
        (await _mesh.Sandbox.PostAsJsonAsync("/admin/qbo/companies", new { realmId = Realm, accessToken = Token })).EnsureSuccessStatusCode();
        (await _mesh.Sandbox.PostAsJsonAsync($"/admin/qbo/companies/{Realm}/seed", new { customers = 2, invoices = 5, currency = "USD", seed = 9 }))
            .EnsureSuccessStatusCode();
        await _mesh.StartServicesAsync(_mesh.QuickBooksConnection(Guid.NewGuid(), _tenant, Realm, Token, "00:00:00.500"),
            paymentEventsSettings: _users.SettingsOf(BusUsers.PaymentEvents), invoiceIngestSettings: _users.SettingsOf(BusUsers.InvoiceIngest),
            writebackSettings: _users.SettingsOf(BusUsers.Writeback));
        _platform = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(new Uri(_users.Url(BusUsers.Platform)), h => h.PublisherConfirmation = true);
            rabbit.ConfigureJsonSerializerOptions(WireJson.Apply);
        });
        await _platform.StartAsync();
        _writeback = TestAuth.WithToken(new HttpClient { BaseAddress = _mesh.Writeback.Address() }, TestAuth.Token([], AccessRoles.Admin));
        await Eventually.Until(InvoicesAsync, i => i.Count >= 5, "the seeded invoices to sync through the services' own users");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        // A setup that failed half-way leaves some of these unset.
        try
        {
            if (_platform is not null)
            {
                await _platform.StopAsync();
            }

            _writeback?.Dispose();
            if (_mesh is not null)
            {
                await _mesh.DisposeAsync();
            }
        }
        finally
        {
            // Users outlive virtual hosts: removed whatever happened above.
            if (_users is not null)
            {
                await _users.DisposeAsync();
            }
        }
    }

    [Test]
    public async Task The_platforms_user_publishes_a_payment_that_the_services_own_users_write_back()
    {
        var (payment, _) = await PayAsync();

        var details = await SettledAsync(_tenant, payment);
        Assert.That(details.GetProperty("state").GetString(), Is.EqualTo("Applied"), details.ToString());
    }

    /// <summary>
    /// WritebackService lost an invoice's announcement (its directory never heard of it): the payment asks InvoiceIngest,
    /// which answers on WritebackService's queue for answers with its own user's permissions, and the payment is written back.
    /// </summary>
    [Test]
    public async Task A_payment_whose_invoice_WritebackService_never_heard_of_gets_InvoiceIngests_answer_through_their_own_users()
    {
        var invoice = await TakeInvoiceAsync();
        await using (var session = _mesh.Writeback.Services.GetRequiredService<Marten.IDocumentStore>().LightweightSession())
        {
            await Eventually.Until(async () => await session.LoadAsync<ReconMesh.WritebackService.Invoices.KnownInvoice>(invoice.InvoiceId), k => k is not null,
                "WritebackService to hear of the invoice");
            session.Delete<ReconMesh.WritebackService.Invoices.KnownInvoice>(invoice.InvoiceId);
            await session.SaveChangesAsync();
        }

        var payment = new PaymentProcessed($"pay_{Guid.NewGuid():N}", _tenant, PaymentMethod.Ach, invoice.Currency, invoice.Balance, 0.80m,
            [new PaymentAllocation(invoice.InvoiceId, invoice.Balance)], DateTimeOffset.UtcNow);
        await _platform.Publish(payment);

        var details = await SettledAsync(_tenant, payment);
        Assert.That(details.GetProperty("state").GetString(), Is.EqualTo("Applied"), details.ToString());
    }

    /// <remarks>
    /// Published without declaring, as any AMQP client can: the write permission itself is what refuses. (MassTransit
    /// declares the exchange first, which the configure permission refuses; it does not throw on that refusal but tries
    /// again until the publish's cancellation token ends, so a publisher should bound its publishes.)
    /// </remarks>
    [Test]
    public async Task The_platforms_user_may_publish_its_own_messages_and_no_internal_one()
    {
        await using var amqp = await new ConnectionFactory { Uri = new Uri(_users.Url(BusUsers.Platform)) }.CreateConnectionAsync();

        Assert.That(await PublishAsync(amqp, "reconmesh.payments.payment-processed"), Is.EqualTo(0), "its own door stays open");
        Assert.That(await PublishAsync(amqp, "reconmesh.platform.json"), Is.EqualTo(0), "the plain-JSON door too");
        foreach (var exchange in Internal)
        {
            Assert.That(await PublishAsync(amqp, exchange), Is.EqualTo(AccessRefused), $"the platform publishing to '{exchange}'");
        }

    }

    [Test]
    public async Task A_connector_teams_user_reads_from_its_own_queue_and_publishes_nowhere()
    {
        await using var amqp = await new ConnectionFactory { Uri = new Uri(_users.Url(BusUsers.Connector)) }.CreateConnectionAsync();
        var queue = _users.ConnectorPrefix + "written-back";
        await using (var channel = await amqp.CreateChannelAsync())
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: true);
            await channel.QueueBindAsync(queue, "reconmesh.payments.payment-status-written-back", "");
        }

        var (payment, _) = await PayAsync();
        await SettledAsync(_tenant, payment);
        var heard = await Eventually.Until(() => GetAsync(amqp, queue), m => m is not null, "the connector's queue to hear the write-back");
        Assert.That(heard, Does.Contain(payment.PaymentId));

        foreach (var exchange in Internal.Append("reconmesh.payments.payment-processed").Append("reconmesh.platform.json"))
        {
            Assert.That(await PublishAsync(amqp, exchange), Is.EqualTo(AccessRefused), $"the connector publishing to '{exchange}'");
        }

        await using var other = await amqp.CreateChannelAsync();
        var reading = Assert.CatchAsync<OperationInterruptedException>(async () => await other.BasicGetAsync("writeback.write-payment", autoAck: false));
        Assert.That(reading!.ShutdownReason?.ReplyCode, Is.EqualTo(AccessRefused), "a service's queue is not the connector's to read");
    }

    [Test]
    public async Task A_forged_internal_message_naming_another_tenants_payment_changes_nothing_and_is_recorded()
    {
        var (payment, invoice) = await PayAsync();
        var mesh = MeshIds.Payment(_tenant, payment.PaymentId);
        var before = await SettledAsync(_tenant, payment);
        var open = await TakeInvoiceAsync();
        var allocation = new PaymentAllocation(open.InvoiceId, open.Balance);
        // Published with full rights on the virtual host: what gets past the broker must still be refused by the consumers.
        var forgedWrite = await PublishForgedAsync(new WritePaymentBack(mesh, payment.PaymentId, _forger, "USD", DateTimeOffset.UtcNow, [allocation]));
        var forgedFailure = await PublishForgedAsync(new PaymentFailureAccepted(mesh, payment.PaymentId, _forger, "R01", "forged", DateTimeOffset.UtcNow));
        var ownPayment = $"pay_{Guid.NewGuid():N}";
        var forgedOwn = await PublishForgedAsync(new WritePaymentBack(MeshIds.Payment(_forger, ownPayment), ownPayment, _forger, "USD",
            DateTimeOffset.UtcNow, [allocation]));
        // The events the reconciliation takes many at a time are checked one by one all the same.
        var forgedAcceptance = await PublishForgedAsync(new PaymentAccepted(mesh, payment.PaymentId, _forger, PaymentMethod.Ach, "USD", open.Balance, 0m,
            [allocation], DateTimeOffset.UtcNow, DateTimeOffset.UtcNow));
        var forgedWritten = await PublishForgedAsync(new PaymentStatusWrittenBack(mesh, payment.PaymentId, _forger, Guid.NewGuid(),
            IntegrationKind.QuickBooksOnline, PaymentWritebackStatus.Paid, ["forged"], [], DateTimeOffset.UtcNow));

        await using var amqp = await new ConnectionFactory { Uri = new Uri(_mesh.Servers.RabbitMqUrl) }.CreateConnectionAsync();
        var errors = new ErrorQueue(amqp);
        await errors.WaitForAsync("writeback.write-payment_error", forgedWrite);
        await errors.WaitForAsync("writeback.payment-reconciliation_error", forgedFailure);
        await errors.WaitForAsync("writeback.write-payment_error", forgedOwn);
        await errors.WaitForAsync("writeback.payment-reconciliation_error", forgedAcceptance);
        await errors.WaitForAsync("writeback.payment-reconciliation_error", forgedWritten);

        var refused = await _writeback.GetFromJsonAsync<JsonElement>($"/tenants/{_tenant}/refused-messages", PaymentScenarioHarness.Json);
        var byId = refused.EnumerateArray().ToDictionary(e => e.GetProperty("id").GetGuid());
        Assert.That(byId.Keys, Is.SupersetOf(new[] { forgedWrite, forgedFailure, forgedOwn, forgedAcceptance, forgedWritten }), refused.ToString());
        Assert.That(byId[forgedWrite].GetProperty("reason").GetString(), Does.Contain("is not that payment's id"));
        Assert.That(byId[forgedFailure].GetProperty("messageType").GetString(), Is.EqualTo(nameof(PaymentFailureAccepted)));
        Assert.That(byId[forgedOwn].GetProperty("reason").GetString(), Does.Contain("accepted no such payment"));
        Assert.That(byId.Values.Select(e => e.GetProperty("claimedTenantId").GetString()), Has.All.EqualTo(_forger));

        var after = await SettledAsync(_tenant, payment);
        Assert.That((after.GetProperty("state").GetString(), after.GetProperty("story").GetArrayLength()),
            Is.EqualTo((before.GetProperty("state").GetString(), before.GetProperty("story").GetArrayLength())), "the paid payment is untouched");
        var exceptions = await _writeback.GetFromJsonAsync<JsonElement>($"/tenants/{_tenant}/exceptions");
        Assert.That(exceptions.GetArrayLength(), Is.Zero, "no write-back failure was recorded against the tenant's payments");
        using var forgersSaga = await _writeback.GetAsync($"/tenants/{_forger}/payments/{mesh}");
        Assert.That(forgersSaga.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "the payment did not move to the forger's tenant");
        var books = await _mesh.Sandbox.GetFromJsonAsync<JsonElement>($"/admin/qbo/companies/{Realm}/books");
        var linked = books.GetProperty("payments").EnumerateArray()
            .SelectMany(p => p.GetProperty("lines").EnumerateArray()).Select(l => l.GetProperty("invoiceId").GetString()).ToList();
        Assert.That(linked, Does.Not.Contain(open.ExternalId), "nothing was written to the invoice the forged messages named");
        Assert.That(linked.Count(id => id == invoice.ExternalId), Is.EqualTo(1), "the paid invoice has its one payment, not reversed");
    }

    private async Task<Guid> PublishForgedAsync<T>(T message)
        where T : class
    {
        var id = NewId.NextGuid();
        await _mesh.PlatformBus.Publish(message, c => c.MessageId = id);
        return id;
    }

    private async Task<(PaymentProcessed Payment, InvoiceSynced Invoice)> PayAsync()
    {
        var invoice = await TakeInvoiceAsync();
        var payment = new PaymentProcessed($"pay_{Guid.NewGuid():N}", _tenant, PaymentMethod.Ach, invoice.Currency, invoice.Balance, 0.80m,
            [new PaymentAllocation(invoice.InvoiceId, invoice.Balance)], DateTimeOffset.UtcNow);
        await _platform.Publish(payment);
        return (payment, invoice);
    }

    private async Task<InvoiceSynced> TakeInvoiceAsync()
    {
        var invoices = await InvoicesAsync();
        lock (_taken)
        {
            var invoice = invoices.Where(i => i.Balance > 0).OrderBy(i => i.Number, StringComparer.Ordinal).First(i => !_taken.Contains(i.InvoiceId));
            _taken.Add(invoice.InvoiceId);
            return invoice;
        }
    }

    private async Task<JsonElement> SettledAsync(string tenant, PaymentProcessed payment) =>
        await Eventually.Until(async () =>
        {
            using var response = await _writeback.GetAsync($"/tenants/{tenant}/payments/{MeshIds.Payment(tenant, payment.PaymentId)}");
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : default;
        }, p => p.ValueKind == JsonValueKind.Object && PaymentScenarioHarness.TerminalOrWaiting.Contains(p.GetProperty("state").GetString()),
            $"payment {payment.PaymentId} to settle");

    private async Task<List<InvoiceSynced>> InvoicesAsync() =>
        (await _mesh.Sandbox.GetFromJsonAsync<List<InvoiceSynced>>($"/platform/invoices?tenantId={_tenant}", PaymentScenarioHarness.Json))!;

    /// <summary>Publishes a small persistent message with confirms: 0 when the broker took it, else the reply code it closed the channel with.</summary>
    private static async Task<ushort> PublishAsync(IConnection amqp, string exchange, string body = """{"type":"payment.processed","data":{}}""")
    {
        await using var channel = await amqp.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true,
            publisherConfirmationTrackingEnabled: true));
        try
        {
            await channel.BasicPublishAsync(exchange, "", mandatory: false, new BasicProperties { DeliveryMode = DeliveryModes.Persistent },
                Encoding.UTF8.GetBytes(body));
            return 0;
        }
        catch (Exception ex) when (ex is OperationInterruptedException or AlreadyClosedException or RabbitMQ.Client.Exceptions.PublishException
                                   && channel.CloseReason is not null)
        {
            return channel.CloseReason!.ReplyCode;
        }
    }

    private static async Task<string?> GetAsync(IConnection amqp, string queue)
    {
        await using var channel = await amqp.CreateChannelAsync();
        return await channel.BasicGetAsync(queue, autoAck: true) is { } got ? Encoding.UTF8.GetString(got.Body.Span) : null;
    }

    /// <summary>Reads an endpoint's error queue until a message with the id is there.</summary>
    private sealed class ErrorQueue(IConnection amqp)
    {
        private readonly HashSet<string> _seen = [];

        public async Task WaitForAsync(string queue, Guid messageId) =>
            await Eventually.Until(async () =>
            {
                await using var channel = await amqp.CreateChannelAsync();
                try
                {
                    while (await channel.BasicGetAsync(queue, autoAck: true) is { } got)
                    {
                        _seen.Add(got.BasicProperties.MessageId ?? Encoding.UTF8.GetString(got.Body.Span));
                    }
                }
                catch (OperationInterruptedException)
                {
                    // Not declared yet: nothing faulted there so far.
                }

                return _seen.Any(s => s.Contains(messageId.ToString(), StringComparison.Ordinal));
            }, found => found, $"message {messageId} in {queue}");
    }
}
