using Microsoft.Extensions.Logging;

namespace ReconMesh.IntegrationTests.Infrastructure;

/// <summary>Sends the hosted services' warnings and errors to NUnit's progress output, so a failing test shows why.</summary>
public sealed class ProgressLoggerProvider(string host) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new ProgressLogger(host, categoryName);

    public void Dispose()
    {
    }

    private sealed class ProgressLogger(string host, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning || (logLevel >= LogLevel.Information && category.StartsWith("ReconMesh", StringComparison.Ordinal));

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                TestContext.Progress.WriteLine($"[{host}] {logLevel} {category}: {formatter(state, exception)} {exception?.GetType().Name} {exception?.Message} {exception?.GetBaseException().GetType().Name} {exception?.GetBaseException().Message}");
            }
        }
    }
}
