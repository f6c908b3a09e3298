using System.Collections.Concurrent;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using ReconMesh.WritebackService.Reconciliation;

namespace ReconMesh.UnitTests.Reconciliation;

/// <summary>
/// The reconciliation saga on MassTransit's in-memory test harness: the production state machine and definition (so
/// the endpoint has its retry policy and in-memory outbox), on an in-memory saga repository, no servers. One harness for
/// every spec of this namespace (starting one takes about a second); every spec uses a fresh payment id.
/// </summary>
[SetUpFixture]
public sealed class ReconciliationBus
{
    internal static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    private static ServiceProvider? provider;

    internal static Settlements Settlements { get; } = new();

    internal static ITestHarness Harness { get; private set; } = null!;

    internal static ISagaStateMachineTestHarness<PaymentReconciliationStateMachine, PaymentReconciliation> Saga { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartHarness()
    {
        provider = new ServiceCollection()
            .AddMassTransitTestHarness(x =>
            {
                x.AddSagaStateMachine<PaymentReconciliationStateMachine, PaymentReconciliation, PaymentReconciliationDefinition>()
                    .InMemoryRepository();
                x.UsingInMemory((context, bus) =>
                {
                    bus.ConnectReceiveObserver(Settlements);
                    bus.ConfigureEndpoints(context);
                });
            })
            .BuildServiceProvider(validateScopes: true);
        Harness = provider.GetRequiredService<ITestHarness>();
        Harness.TestTimeout = Limit;
        await Harness.Start();
        Saga = Harness.GetSagaStateMachineHarness<PaymentReconciliationStateMachine, PaymentReconciliation>();
    }

    [OneTimeTearDown]
    public async Task StopHarness()
    {
        await Harness.Stop();
        await provider!.DisposeAsync();
    }
}

/// <summary>What the specs do on the shared harness.</summary>
/// <remarks>
/// Each message is published with a known message id and awaited until the saga's endpoint has finished with it
/// (<see cref="IReceiveObserver.PostReceive"/>, which comes after the consume, the saga's save and the outbox's
/// publishes): so after a step, the commands it caused are in the harness's Published list and a command it did not
/// cause never will be. No sleeps, no timing assertions; the wait's limit only turns a hang into a failure.
/// </remarks>
public abstract class ReconciliationHarness
{
    protected static ITestHarness Harness => ReconciliationBus.Harness;

    private static ISagaStateMachineTestHarness<PaymentReconciliationStateMachine, PaymentReconciliation> Saga => ReconciliationBus.Saga;

    /// <summary>Publishes the given's events in order, each after the previous one settled; none may fault.</summary>
    protected static async Task<Key> GivenAsync(Guid id, Given given)
    {
        foreach (var step in given.Steps)
        {
            var outcome = await PublishAsync(id, step(id));
            Assert.That(outcome.Fault, Is.Null, $"the given '{given.Name}' faulted at {step(id).GetType().Name}");
        }

        var reached = Snapshot(id);
        Assert.That(reached.State, Is.EqualTo(given.State), $"the given '{given.Name}' did not lead where it says");
        return reached;
    }

    /// <summary>Publishes the messages in order, each after the previous one settled.</summary>
    protected static async Task<Outcome[]> RunAsync(Guid id, params object[] messages)
    {
        var outcomes = new List<Outcome>(messages.Length);
        foreach (var message in messages)
        {
            outcomes.Add(await PublishAsync(id, message));
        }

        return [.. outcomes];
    }

    /// <summary>
    /// Publishes one message (or, given the saga's <paramref name="queue"/>, sends it there as a message already queued
    /// would arrive) and waits until the saga's endpoint is done with it.
    /// </summary>
    protected static async Task<Outcome> PublishAsync(Guid id, object message, Uri? queue = null)
    {
        var before = Snapshot(id);
        var (writes, reversals) = Commands(id);
        var messageId = NewId.NextGuid();
        var settled = ReconciliationBus.Settlements.Expect(messageId);
        if (queue is null)
        {
            await Harness.Bus.Publish(message, Pipe.Execute<PublishContext>(c => c.MessageId = messageId));
        }
        else
        {
            var endpoint = await Harness.Bus.GetSendEndpoint(queue);
            await endpoint.Send(message, Pipe.Execute<SendContext>(c => c.MessageId = messageId));
        }
        var fault = await settled.WaitAsync(ReconciliationBus.Limit);
        var (writesAfter, reversalsAfter) = Commands(id);
        var command = (writesAfter - writes, reversalsAfter - reversals) switch
        {
            (0, 0) => Command.None,
            (1, 0) => Command.WritePaymentBack,
            (0, 1) => Command.ReversePayment,
            var other => throw new AssertionException($"{message.GetType().Name} caused {other.Item1} writes and {other.Item2} reversals"),
        };
        return new Outcome(message.GetType().Name, before, Snapshot(id), command, fault);
    }

    /// <summary>The saga's key fields now (<see cref="Key.None"/> while there is no saga).</summary>
    protected static Key Snapshot(Guid id) => Saga.Sagas.Contains(id) is { } saga ? Key.Of(saga) : Key.None;

    /// <summary>The saga itself, for the fields a spec reads beyond <see cref="Key"/>.</summary>
    protected static PaymentReconciliation? Instance(Guid id) => Saga.Sagas.Contains(id);

    /// <summary>How many of each command were published for the payment so far.</summary>
    protected static (int Writes, int Reversals) Commands(Guid id) =>
        (Harness.Published.Select<WritePaymentBack>(x => x.Context.Message.MeshPaymentId == id).Count(),
            Harness.Published.Select<ReversePayment>(x => x.Context.Message.MeshPaymentId == id).Count());
}

/// <summary>The command a step caused.</summary>
public enum Command
{
    None,
    WritePaymentBack,
    ReversePayment,
}

/// <summary>What one message did: the saga's key fields before and after, the command it caused, and its fault (an exception type) if any.</summary>
public sealed record Outcome(string Message, Key Before, Key After, Command Command, string? Fault)
{
    /// <summary>One line of a story: "PaymentAccepted → WritingBack + WritePaymentBack", "... FAULTS".</summary>
    public override string ToString() =>
        $"{Message} → {After.State}{(Command == Command.None ? "" : $" + {Command}")}{(Fault is null ? "" : " FAULTS")}";

    /// <summary>The story of a run of messages, one line each.</summary>
    public static string[] Story(IEnumerable<Outcome> outcomes) => [.. outcomes.Select(o => o.ToString())];
}

/// <summary>Completes, per message id, when the endpoint is done with the message: with the fault's exception type, or null.</summary>
internal sealed class Settlements : IReceiveObserver
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<string?>> pending = new();
    private readonly ConcurrentDictionary<Guid, string> faults = new();

    public Task<string?> Expect(Guid messageId) =>
        pending.GetOrAdd(messageId, _ => new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostReceive(ReceiveContext context)
    {
        Settle(context, null);
        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType)
        where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception)
        where T : class
    {
        if (context.MessageId is { } id)
        {
            faults[id] = exception.GetType().Name;
        }

        return Task.CompletedTask;
    }

    public Task ReceiveFault(ReceiveContext context, Exception exception)
    {
        Settle(context, exception.GetType().Name);
        return Task.CompletedTask;
    }

    private void Settle(ReceiveContext context, string? exception)
    {
        if (context.GetMessageId() is { } id && pending.TryGetValue(id, out var settled))
        {
            settled.TrySetResult(faults.TryGetValue(id, out var fault) ? fault : exception);
        }
    }
}
