using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ReconMesh.Contracts;

namespace ReconMesh.Integrations.Http;

/// <summary>
/// The HTTP client pipeline of one integration kind, under the retry, rate limiter, timeout and metrics of
/// <see cref="IntegrationResilience"/>: a socket handler that
/// connects only where <see cref="IntegrationAddressPolicy"/> allows (checked on the resolved addresses, at every new
/// connection), follows no redirect and uses no proxy (a proxy would hide the address from the check), and
/// <see cref="IntegrationAnswerGuard"/> above it.
/// </summary>
public static class IntegrationHttpPipeline
{
    public static IHttpClientBuilder AddIntegrationHttpClient(this IServiceCollection services, string name, IntegrationKind kind) =>
        services.AddHttpClient(name)
            .ConfigurePrimaryHttpMessageHandler(sp => CreateSocketsHandler(sp.GetRequiredService<IntegrationAddressPolicy>(), kind))
            .AddHttpMessageHandler(sp => new IntegrationAnswerGuard(sp.GetRequiredService<IntegrationAddressPolicy>(), kind));

    /// <summary>
    /// What outlives one client of the pipeline: the circuits of the connections and the clock; the settings are read from
    /// <see cref="IntegrationHttpOptions.Section"/> where the host binds them (<c>AddIntegrations</c>), else their defaults.
    /// </summary>
    public static IServiceCollection AddIntegrationResilience(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IntegrationResilience>();
        return services;
    }

    public static SocketsHttpHandler CreateSocketsHandler(IntegrationAddressPolicy policy, IntegrationKind kind)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var addresses = await policy.AdmitAsync(kind, context.DnsEndPoint.Host, cancellationToken);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
    }
}
