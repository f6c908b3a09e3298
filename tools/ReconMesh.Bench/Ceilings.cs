using System.Diagnostics;
using Marten;
using MassTransit;
using ReconMesh.EventSourcing.Store;

namespace ReconMesh.Bench;

/// <summary>
/// The ceilings of the two shared servers, measured with the same client libraries and settings the mesh uses:
/// raw MassTransit publish→consume over RabbitMQ, raw Marten appends to PostgreSQL.
/// </summary>
internal static class Ceilings
{
    public const string BusQueue = "reconmesh.bench.ceiling";
    public const string BusExchange = "reconmesh.bench.ping";
    public const string StoreSchema = "bench_ceiling";

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var results = new SortedDictionary<string, object>(StringComparer.Ordinal);
        var messages = options.Int("bus-messages", 20_000);
        var bus = await BusAsync(BenchOptions.RabbitMq, messages);
        results["ceiling_bus_msgs_per_s"] = Math.Round(bus, 0);
        results["ceiling_bus_messages"] = messages;

        var (single, eight, batched, batchedEvents) = await StoreAsync(BenchOptions.Postgres, options.Int("store-single", 4_000), options.Int("store-batched", 20_000));
        results["ceiling_store_appends_per_s"] = Math.Round(single, 0);
        results["ceiling_store_appends_8_writers_per_s"] = Math.Round(eight, 0);
        results["ceiling_store_appends_batched_per_s"] = Math.Round(batched, 0);
        results["ceiling_store_batched_events"] = batchedEvents;
        await Summary.WriteAsync(options.Get("out"), results);
        return 0;
    }

    /// <summary>Persistent messages, publisher confirms, one consumer with prefetch 256; many publishes in flight at once.</summary>
    private static async Task<double> BusAsync(string rabbitUrl, int messages)
    {
        var consumed = 0;
        var target = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var control = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new Uri(rabbitUrl), h => h.PublisherConfirmation = true);
            cfg.Message<BenchPing>(m => m.SetEntityName(BusExchange));
            cfg.ReceiveEndpoint(BusQueue, e =>
            {
                e.Durable = true;
                e.AutoDelete = true;
                e.PrefetchCount = 256;
                e.Handler<BenchPing>(_ =>
                {
                    if (Interlocked.Increment(ref consumed) == Volatile.Read(ref target))
                    {
                        done.TrySetResult();
                    }

                    return Task.CompletedTask;
                });
            });
        });
        await control.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        try
        {
            // Warm-up: connections, channels, JIT.
            await PublishAsync(control, 1_000);
            await WaitUntilAsync(() => Volatile.Read(ref consumed) >= 1_000, TimeSpan.FromSeconds(60));

            Interlocked.Exchange(ref consumed, 0);
            Volatile.Write(ref target, messages);
            var clock = Stopwatch.StartNew();
            await PublishAsync(control, messages);
            var published = clock.Elapsed.TotalSeconds;
            await done.Task.WaitAsync(TimeSpan.FromSeconds(120));
            var seconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"[bench] bus: {messages} persistent messages published (confirmed) in {published:F2} s, all consumed in {seconds:F2} s");
            return messages / seconds;
        }
        finally
        {
            await control.StopAsync();
        }
    }

    private static Task PublishAsync(IBusControl bus, int count)
    {
        var payload = new string('x', 256);
        return Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 128 },
            async (i, ct) => await bus.Publish(new BenchPing(i, DateTimeOffset.UtcNow, payload), ct));
    }

    private static async Task<(double Single, double Eight, double Batched, int BatchedEvents)> StoreAsync(string connectionString, int single, int batched)
    {
        await using var store = DocumentStore.For(o =>
        {
            EventStoreExtensions.ConfigureStore(o, connectionString, StoreSchema);
            o.Events.AddEventType<BenchAppended>();
        });
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        async Task AppendOneAsync()
        {
            await using var session = store.LightweightSession();
            session.Events.StartStream(Guid.NewGuid(), new BenchAppended(Guid.NewGuid(), 125.50m, "single"));
            await session.SaveChangesAsync();
        }

        for (var i = 0; i < 200; i++)
        {
            await AppendOneAsync();
        }

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < single; i++)
        {
            await AppendOneAsync();
        }

        var singleRate = single / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"[bench] store: {single} appends, one per SaveChanges, one writer: {clock.Elapsed.TotalSeconds:F2} s");

        clock.Restart();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            for (var i = 0; i < single / 8; i++)
            {
                await AppendOneAsync();
            }
        }));
        var eightRate = single / 8 * 8 / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"[bench] store: {single / 8 * 8} appends, one per SaveChanges, 8 writers: {clock.Elapsed.TotalSeconds:F2} s");

        const int streamsPerSession = 100;
        var sessions = batched / streamsPerSession;
        clock.Restart();
        for (var s = 0; s < sessions; s++)
        {
            await using var session = store.LightweightSession();
            for (var i = 0; i < streamsPerSession; i++)
            {
                session.Events.StartStream(Guid.NewGuid(), new BenchAppended(Guid.NewGuid(), 125.50m, "batched"));
            }

            await session.SaveChangesAsync();
        }

        var batchedRate = sessions * streamsPerSession / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"[bench] store: {sessions * streamsPerSession} appends, {streamsPerSession} streams per session: {clock.Elapsed.TotalSeconds:F2} s");
        return (singleRate, eightRate, batchedRate, sessions * streamsPerSession);
    }

    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException("timed out");
            }

            await Task.Delay(20);
        }
    }
}
