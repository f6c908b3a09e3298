using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ReconMesh.IntegrationTests.Infrastructure;

/// <summary>
/// A plain HTTP server on a loopback address of the test's choosing (127.0.0.1, 127.0.0.2, ...) that counts the requests
/// it receives and answers each as the test says: where a test must show that nothing was sent somewhere,
/// or play an integration that answers what no real one would.
/// </summary>
public sealed class CountingListener : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private CountingListener(WebApplication app) => _app = app;

    public Uri Address => new(_app.Urls.First());

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<CountingListener> StartAsync(string ip, Func<HttpContext, Task> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://{ip}:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var listener = new CountingListener(app);
        app.Run(context =>
        {
            Interlocked.Increment(ref listener._requests);
            return answer(context);
        });
        await app.StartAsync();
        return listener;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
