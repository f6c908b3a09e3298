using System.Text;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.PaymentEvents.Payments;

namespace ReconMesh.IntegrationTests.Operations;

/// <summary>
/// A payment platform that is not .NET publishes the webhook's envelope as plain JSON with a bare AMQP client (no
/// MassTransit) to the documented exchange: a valid PaymentProcessed is booked in the sandbox's QuickBooks company; an
/// invalid one gets an exceptions entry and lands in the error queue, and does not hold the valid one up.
/// </summary>
[TestFixture]
public sealed class When_a_non_dotnet_platform_publishes_plain_json
{
    private OperationsHarness _mesh = null!;
    private IConnection _connection = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _mesh = await OperationsHarness.StartAsync("9130000000000888", invoices: 2);
        _connection = await new ConnectionFactory { Uri = new Uri(_mesh.Servers.RabbitMqUrl) }.CreateConnectionAsync();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_connection is not null)
        {
            await _connection.CloseAsync();
            _connection.Dispose();
        }

        await _mesh.DisposeAsync();
    }

    [Test]
    public async Task Should_book_the_valid_payment_and_reject_the_invalid_one()
    {
        var invoice = (await _mesh.PlatformInvoicesAsync()).OrderBy(i => i.Number, StringComparer.Ordinal).First();
        var invalidId = $"pay_{Guid.NewGuid():N}";
        var validId = $"pay_{Guid.NewGuid():N}";

        // The invalid one first: it must not stand in the valid one's way.
        await PublishAsync("payment.processed", Payment(invalidId, invoice.InvoiceId, amount: -5m));
        await PublishAsync("payment.processed", Payment(validId, invoice.InvoiceId, amount: invoice.Balance));

        var books = await _mesh.PaidInBooksAsync(invoice.ExternalId);
        var payments = OperationsHarness.PaymentsFor(books, invoice.ExternalId);
        Assert.That(payments, Has.Count.EqualTo(1), books.ToString());
        Assert.That(payments[0].GetProperty("totalAmt").GetDecimal(), Is.EqualTo(invoice.Balance));

        var store = _mesh.PaymentEvents.Services.GetRequiredService<IDocumentStore>();
        var rejected = await Eventually.Until(async () =>
            {
                await using var session = store.QuerySession();
                return await session.Query<RejectedMessage>().Where(r => r.PaymentId == invalidId).ToListAsync();
            },
            r => r.Count > 0, "the invalid payment's exceptions entry");
        Assert.That(rejected[0].Reasons, Has.Some.Contains("Amount"), string.Join("; ", rejected[0].Reasons));
        Assert.That(rejected[0].TenantId, Is.EqualTo(_mesh.Tenant));

        var inError = await Eventually.Until(() => MessageCountAsync(PlatformJsonConsumer.QueueName + "_error"), n => n >= 1,
            "the invalid payment to be moved to the error queue");
        Assert.That(inError, Is.EqualTo(1), "only the invalid payment is in the error queue");
    }

    [Test]
    public async Task Should_book_a_payment_delivered_twice_once()
    {
        var invoice = (await _mesh.PlatformInvoicesAsync()).OrderBy(i => i.Number, StringComparer.Ordinal).Last();
        var paymentId = $"pay_{Guid.NewGuid():N}";
        var payment = Payment(paymentId, invoice.InvoiceId, amount: invoice.Balance);
        await PublishAsync("payment.processed", payment);
        await PublishAsync("payment.processed", payment);

        var books = await _mesh.PaidInBooksAsync(invoice.ExternalId);
        Assert.That(OperationsHarness.PaymentsFor(books, invoice.ExternalId), Has.Count.EqualTo(1), "two deliveries book one payment");
    }

    private static Dictionary<string, object?> Payment(string paymentId, Guid invoiceId, decimal amount) => new()
    {
        ["paymentId"] = paymentId,
        ["method"] = "Ach",
        ["currency"] = "USD",
        ["amount"] = amount,
        ["fee"] = 0.80m,
        ["allocations"] = new[] { new Dictionary<string, object> { ["invoiceId"] = invoiceId, ["amount"] = amount } },
        ["processedAt"] = DateTimeOffset.UtcNow,
    };

    /// <summary>What a platform written in any language does: plain JSON, content type application/json, a type header, confirms.</summary>
    private async Task PublishAsync(string type, Dictionary<string, object?> data)
    {
        data["tenantId"] = _mesh.Tenant;
        var body = JsonSerializer.SerializeToUtf8Bytes(new { type, id = $"evt_{Guid.NewGuid():N}", data });
        await using var channel = await _connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties
        {
            ContentType = PlatformJsonConsumer.ContentType,
            DeliveryMode = DeliveryModes.Persistent,
            MessageId = Guid.NewGuid().ToString(),
            Headers = new Dictionary<string, object?> { [PlatformJsonConsumer.TypeHeader] = Encoding.UTF8.GetBytes(type) },
        };
        await channel.BasicPublishAsync(PlatformJsonConsumer.ExchangeName, "", mandatory: true, properties, body);
    }

    private Task<uint> MessageCountAsync(string queue) => QueueDepth.CountAsync(_connection, queue);
}
