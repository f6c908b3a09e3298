using Microsoft.Extensions.Options;
using ReconMesh.Integrations.Http;
using ReconMesh.Integrations.RateLimiting;

namespace ReconMesh.UnitTests.InvoiceIngest;

/// <summary>
/// An integration's pipeline with the network replaced by <paramref name="transport"/> and no rate limit: what a
/// client factory needs to read a scripted answer in a unit test.
/// </summary>
internal sealed class ScriptedIntegration(HttpMessageHandler transport) : IHttpMessageHandlerFactory
{
    public HttpMessageHandler CreateHandler(string name) => transport;

    public static IntegrationResilience Resilience() =>
        new(new NoLimits(), Options.Create(new IntegrationHttpOptions()), TimeProvider.System);

    private sealed class NoLimits : IApiRateLimiter
    {
        public ValueTask<IAsyncDisposable> AcquireAsync(string key, ApiLimits limits, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IAsyncDisposable>(new Lease());

        private sealed class Lease : IAsyncDisposable
        {
            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
