using System.Text;
using RabbitMQ.Client;
using ReconMesh.Contracts;
using ReconMesh.Contracts.Invoices;
using ReconMesh.EventSourcing.Identity;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.IntegrationTests.Payments;

namespace ReconMesh.IntegrationTests.Messaging;

/// <summary>
/// Production runs quorum queues, and MassTransit declares an endpoint's <c>_error</c> queue as it declares the endpoint's
/// own (a quorum queue). A batch consumer refusing one message used to send it to <c>queue:{endpoint}_error</c>, which
/// declares the queue with no arguments: once the error queue existed as a quorum queue (any earlier fault), RabbitMQ
/// refused that declare (PRECONDITION_FAILED), the whole batch failed, and the good messages in it ended in the error
/// queue with the bad one. The refusal now goes through the endpoint's own error transport.
/// </summary>
[TestFixture]
public sealed class When_a_batch_refuses_one_message_on_quorum_queues
{
    private const string Errors = "writeback.invoice-directory_error";
    private PaymentScenarioHarness _mesh = null!;

    [OneTimeSetUp]
    public async Task Start() => _mesh = await PaymentScenarioHarness.StartAsync(invoices: 1, writebackSettings: new Dictionary<string, string?>
    {
        ["ReconMesh:QuorumQueues"] = "true",
    });

    [OneTimeTearDown]
    public async Task Stop() => await _mesh.DisposeAsync();

    [Test]
    public async Task Only_the_refused_message_reaches_the_error_queue_an_earlier_fault_created()
    {
        await using var amqp = await new ConnectionFactory { Uri = new Uri(_mesh.RabbitMqUrl) }.CreateConnectionAsync();
        await using (var channel = await amqp.CreateChannelAsync())
        {
            // As MassTransit declared it at an earlier fault of the endpoint.
            await channel.QueueDeclareAsync(Errors, durable: true, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
        }

        // One invoice naming another tenant than its connection's (refused), one of the connection's own, in one burst.
        var forged = Invoice("forged-1", "someone-else");
        await _mesh.PlatformBus.Publish(Alone(forged));
        await _mesh.PlatformBus.Publish(Alone(Invoice("own-1", _mesh.Tenant)));

        await Eventually.Until(() => QueueDepth.CountAsync(amqp, Errors), n => n >= 1, "the forged invoice to reach the error queue");
        await using var reading = await amqp.CreateChannelAsync();
        var moved = await reading.BasicGetAsync(Errors, autoAck: false);
        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetString(moved!.Body.Span), Does.Contain(forged.InvoiceId.ToString()));
            Assert.That(Encoding.UTF8.GetString((byte[])moved.BasicProperties.Headers!["MT-Fault-ExceptionType"]!), Does.Contain("ValidationException"));
            Assert.That(moved.MessageCount, Is.Zero, "the invoice of the connection's own tenant was not refused with it");
        });
    }

    private static InvoicesSynced Alone(InvoiceSynced invoice) => new(invoice.TenantId, invoice.ConnectionId, [invoice]);

    private InvoiceSynced Invoice(string externalId, string tenant) =>
        new(MeshIds.Invoice(_mesh.ConnectionId, externalId), 1, tenant, _mesh.ConnectionId, IntegrationKind.QuickBooksOnline, externalId,
            externalId.ToUpperInvariant(), "cust-1", "Quorum Ltd", "USD", 10m, 10m, new DateOnly(2026, 12, 1), null, [], DateTimeOffset.UtcNow);
}
