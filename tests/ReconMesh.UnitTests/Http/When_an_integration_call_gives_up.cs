using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReconMesh.Contracts;
using ReconMesh.Integrations;
using ReconMesh.Integrations.Http;
using ReconMesh.Integrations.QuickBooks;
using ReconMesh.Integrations.RateLimiting;
using ReconMesh.WritebackService.Waits;
using Refit;

namespace ReconMesh.UnitTests.Http;

/// <summary>
/// What an adapter sees, through Refit, when the integration pipeline has used up its attempts: the failure it saw
/// before the pipeline moved onto Microsoft.Extensions.Http.Resilience, so WritebackService waits for the same cause;
/// and the pipeline's settings are read from their keys and checked at start.
/// </summary>
public sealed class When_an_integration_call_gives_up
{
    private sealed class Transport(Func<CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        // As a real transport does, the answer names its request (Refit describes errors by it).
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await answer(cancellationToken);
            response.RequestMessage = request;
            return response;
        }
    }

    private sealed class OpenLimiter : IApiRateLimiter
    {
        public ValueTask<IAsyncDisposable> AcquireAsync(string key, ApiLimits limits, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IAsyncDisposable>(new Lease());

        private sealed class Lease : IAsyncDisposable
        {
            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    private static IQuickBooksApi Client(Func<CancellationToken, Task<HttpResponseMessage>> answer)
    {
        var resilience = new IntegrationResilience(new OpenLimiter(), Options.Create(new IntegrationHttpOptions { MaxAttempts = 2 }), new ScriptedTime(_ => true));
        var chain = resilience.Create(Guid.NewGuid(), IntegrationKind.QuickBooksOnline, "qbo:1", ApiLimits.QuickBooksOnline, new Transport(answer));
        return RestService.For<IQuickBooksApi>(new HttpClient(chain) { BaseAddress = new Uri("https://quickbooks.api.intuit.com/") },
            IntegrationRefitSettings.Create(new JsonSerializerOptions(), QuickBooksException.From));
    }

    private static Task<HttpResponseMessage> Status(HttpStatusCode status) => Task.FromResult(new HttpResponseMessage(status)
    {
        Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json"),
    });

    private static async Task<HttpResponseMessage> NoAnswer(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        throw new InvalidOperationException("unreachable");
    }

    private static IEnumerable<TestCaseData> GivingUp()
    {
        yield return new TestCaseData((Func<CancellationToken, Task<HttpResponseMessage>>)(_ => Status(HttpStatusCode.TooManyRequests)), TransientCause.Throttled)
            .SetArgDisplayNames("throttled to the end");
        yield return new TestCaseData((Func<CancellationToken, Task<HttpResponseMessage>>)(_ => Status(HttpStatusCode.ServiceUnavailable)), TransientCause.Unavailable)
            .SetArgDisplayNames("unavailable to the end");
        yield return new TestCaseData((Func<CancellationToken, Task<HttpResponseMessage>>)NoAnswer, TransientCause.Timeout)
            .SetArgDisplayNames("no answer to the end");
        yield return new TestCaseData((Func<CancellationToken, Task<HttpResponseMessage>>)(_ =>
                Task.FromException<HttpResponseMessage>(new HttpRequestException("reset", new SocketException((int)SocketError.ConnectionReset)))), TransientCause.ConnectionLost)
            .SetArgDisplayNames("connection lost to the end");
    }

    [TestCaseSource(nameof(GivingUp))]
    public void The_failure_keeps_the_cause_it_is_waited_for_by(Func<CancellationToken, Task<HttpResponseMessage>> answer, string cause)
    {
        var failure = Assert.CatchAsync<Exception>(() => Client(answer).QueryAsync("1", "select * from Invoice"));

        Assert.That(TransientCause.Of(failure), Is.EqualTo(cause), failure!.ToString());
    }

    [Test]
    public void The_settings_are_read_from_their_keys_and_a_bad_one_stops_the_start()
    {
        static IntegrationHttpOptions Read(params (string Key, string Value)[] settings)
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>($"{IntegrationHttpOptions.Section}:{s.Key}", s.Value)))
                .Build();
            var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
            services.AddIntegrations();
            using var provider = services.BuildServiceProvider();
            return provider.GetRequiredService<IOptions<IntegrationHttpOptions>>().Value;
        }

        var read = Read(("MaxAttempts", "3"), ("AttemptTimeout", "00:00:05"), ("MaxWait", "00:01:00"), ("CircuitBreakerBreakDuration", "00:00:02"));

        Assert.Multiple(() =>
        {
            Assert.That(read.MaxAttempts, Is.EqualTo(3));
            Assert.That(read.AttemptTimeout, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(read.MaxWait, Is.EqualTo(TimeSpan.FromMinutes(1)));
            Assert.That(read.CircuitBreakerBreakDuration, Is.EqualTo(TimeSpan.FromSeconds(2)));
        });
        var refused = Assert.Throws<OptionsValidationException>(() => Read(("MaxAttempts", "0")));
        Assert.That(refused!.Message, Does.Contain(nameof(IntegrationHttpOptions.MaxAttempts)));
    }
}
