using System.Globalization;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using ReconMesh.ServiceDefaults.Messaging;

namespace ReconMesh.WritebackService.Waits;

/// <summary>
/// The wait queues of the endpoints whose commands wait aside (ADR 0008): per endpoint and tier, a durable queue whose
/// messages all live exactly the tier's time (<c>x-message-ttl</c>) and are then dead-lettered to the endpoint's own
/// exchange (<c>x-dead-letter-exchange</c>), which delivers them to the endpoint's queue again. Nothing consumes a wait
/// queue, so a waiting command holds no consumer slot, and the broker keeps it across restarts of the service. Each
/// queue has a fanout exchange of the same name bound to it, which is where a command is sent to wait. Declared at
/// start, before the bus, and again before the first wait if the broker was not reachable then.
/// </summary>
public sealed partial class WaitQueues(BrokerSettings broker, IOptions<TransientWaitOptions> options, ILogger<WaitQueues> logger)
    : IHostedService, IDisposable
{
    /// <summary>
    /// The endpoints whose messages wait aside: the write and the reversal of WritebackService, the invoice directory
    /// (invoices of a connection not announced yet) and the payouts' deposits.
    /// </summary>
    public static readonly IReadOnlyList<string> Endpoints = [Reconciliation.WritePaymentBackConsumerDefinition.QueueName,
        Reconciliation.ReversePaymentConsumerDefinition.QueueName, Invoices.InvoicesSyncedConsumerDefinition.QueueName,
        Payouts.DepositPayoutConsumerDefinition.QueueName];

    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _declared;

    /// <summary>The wait queue (and its exchange) of <paramref name="endpoint"/> for a wait of <paramref name="tier"/>, e.g. <c>writeback.write-payment.wait-30s</c>.</summary>
    public static string Name(string endpoint, TimeSpan tier) => $"{endpoint}.wait-{Label(tier)}";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await EnsureDeclaredAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogNotDeclared(logger, ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Declares every wait queue once per process (declaring is idempotent on the broker).</summary>
    public async Task EnsureDeclaredAsync(CancellationToken cancellationToken)
    {
        if (_declared)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_declared)
            {
                await DeclareAsync(cancellationToken);
                _declared = true;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task DeclareAsync(CancellationToken cancellationToken)
    {
        var quorum = broker.QuorumQueues;
        await using var connection = await broker.ConnectAsync("writeback-service wait queues", cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        foreach (var endpoint in Endpoints)
        {
            foreach (var tier in options.Value.Tiers())
            {
                var name = Name(endpoint, tier);
                await channel.ExchangeDeclareAsync(name, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
                await channel.QueueDeclareAsync(name, durable: true, exclusive: false, autoDelete: false, Arguments(endpoint, tier, quorum),
                    cancellationToken: cancellationToken);
                await channel.QueueBindAsync(name, name, "", cancellationToken: cancellationToken);
            }
        }
    }

    private static Dictionary<string, object?> Arguments(string endpoint, TimeSpan tier, bool quorum)
    {
        var arguments = new Dictionary<string, object?>
        {
            ["x-message-ttl"] = (long)tier.TotalMilliseconds,
            ["x-dead-letter-exchange"] = endpoint,
        };
        if (quorum)
        {
            // Replicated like every other queue, and dead-lettered at least once (3.10+): the default for quorum
            // queues, at most once, could drop a waiting command if a node fails while it is moved back.
            arguments["x-queue-type"] = "quorum";
            arguments["x-dead-letter-strategy"] = "at-least-once";
            arguments["x-overflow"] = "reject-publish";
        }

        return arguments;
    }

    private static string Label(TimeSpan tier) =>
        tier.Milliseconds != 0 ? $"{(long)tier.TotalMilliseconds}ms"
        : tier.Seconds != 0 ? $"{(long)tier.TotalSeconds}s"
        : tier.Minutes != 0 ? $"{(long)tier.TotalMinutes}m"
        : string.Create(CultureInfo.InvariantCulture, $"{(long)tier.TotalHours}h");

    [LoggerMessage(Level = LogLevel.Warning, Message = "The wait queues could not be declared at start; they will be before the first wait")]
    private static partial void LogNotDeclared(ILogger logger, Exception exception);
}
