using System.Reflection;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using ReconMesh.WritebackService.Reconciliation;

namespace ReconMesh.UnitTests.Reconciliation;

/// <summary>
/// Three of WritebackService's internal messages took the name of the stream event they relay. On the wire they are what
/// they were (the URN and exchange MassTransit gave the old .NET names), so a message published by the previous version
/// and still in a queue during an upgrade is consumed by the saga, and the broker's permissions still cover the exchange.
/// </summary>
[TestFixture]
public sealed class The_renamed_messages_keep_their_wire_names : ReconciliationHarness
{
    private static IEnumerable<TestCaseData> Renamed()
    {
        yield return new TestCaseData(typeof(ExceptionRetryRequested), "RetryExceptionRequested").SetArgDisplayNames(nameof(ExceptionRetryRequested));
        yield return new TestCaseData(typeof(ExceptionDismissed), "DismissExceptionRequested").SetArgDisplayNames(nameof(ExceptionDismissed));
        yield return new TestCaseData(typeof(WritebackAwaitingInvoices), "AwaitInvoices").SetArgDisplayNames(nameof(WritebackAwaitingInvoices));
    }

    [TestCaseSource(nameof(Renamed))]
    public void The_urn_and_the_exchange_are_the_old_names(Type message, string oldName)
    {
        var old = $"ReconMesh.WritebackService.Reconciliation:{oldName}";
        Assert.Multiple(() =>
        {
            Assert.That(MessageUrn.ForTypeString(message), Is.EqualTo($"urn:message:{old}"));
            Assert.That(message.GetCustomAttribute<EntityNameAttribute>()?.EntityName, Is.EqualTo(old));
        });
    }

    [Test]
    public async Task A_message_the_previous_version_published_reaches_the_reconciliation_as_the_new_type()
    {
        await using var provider = new ServiceCollection()
            .AddMassTransitTestHarness(x => x.AddConsumer<RetryReceiver>().Endpoint(e => e.Name = PaymentReconciliationConsumerDefinition.QueueName))
            .BuildServiceProvider(validateScopes: true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        var id = NewId.NextGuid();
        await GivenAsync(id, new Given("needs attention", "NeedsAttention", Happenings.Accepted, x => Happenings.Refused(x)));

        // Already in the reconciliation's queue when the new version starts (on RabbitMQ the old exchange is the new type's, above).
        var queue = await harness.Bus.GetSendEndpoint(new Uri($"queue:{PaymentReconciliationConsumerDefinition.QueueName}"));
        await queue.Send(new RetryExceptionRequested(id));
        Assert.That(await harness.Consumed.Any<ExceptionRetryRequested>(x => x.Context.Message.MeshPaymentId == id), Is.True,
            "the old message was not consumed as the new type");
        var received = harness.Consumed.Select<ExceptionRetryRequested>(x => x.Context.Message.MeshPaymentId == id).FirstOrDefault();
        var outcome = await PublishAsync(id, received!.Context.Message);

        Assert.That(outcome.ToString(), Is.EqualTo("ExceptionRetryRequested → WritingBack + WritePaymentBack"));
        await harness.Stop();
    }

    /// <summary>Takes what reaches the reconciliation's queue as <see cref="ExceptionRetryRequested"/>, as the production consumer does.</summary>
    private sealed class RetryReceiver : IConsumer<ExceptionRetryRequested>
    {
        public Task Consume(ConsumeContext<ExceptionRetryRequested> context) => Task.CompletedTask;
    }
}
