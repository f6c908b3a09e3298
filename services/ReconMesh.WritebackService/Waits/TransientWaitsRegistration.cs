namespace ReconMesh.WritebackService.Waits;

public static class TransientWaitsRegistration
{
    /// <summary>
    /// The options, the wait queues (a hosted service registered before the bus, so they exist before any command can
    /// wait) and the runner the write and reversal consumers use.
    /// </summary>
    public static WebApplicationBuilder AddTransientWaits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TransientWaitOptions>().BindConfiguration(TransientWaitOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.Tiers().Count > 0, $"{TransientWaitOptions.Section}:{nameof(TransientWaitOptions.TransientWaitTiers)} must list " +
                "one or more waits (TimeSpans between 00:00:00.100 and 1.00:00:00), comma-separated.")
            .ValidateOnStart();
        builder.Services.AddSingleton<WaitQueues>();
        builder.Services.AddHostedService(s => s.GetRequiredService<WaitQueues>());
        builder.Services.AddSingleton<WaitAside>();
        builder.Services.AddScoped<TransientWaits>();
        return builder;
    }
}
