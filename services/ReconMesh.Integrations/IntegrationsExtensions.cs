using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ReconMesh.Integrations.Connections;
using ReconMesh.ServiceDefaults.Hosting;
using ReconMesh.Integrations.RateLimiting;
using Microsoft.Extensions.Configuration;
using ReconMesh.Integrations.Autotask;
using ReconMesh.Integrations.ConnectWise;
using ReconMesh.Integrations.QuickBooks;
using ReconMesh.Integrations.Writeback;
using ReconMesh.Integrations.Xero;
using ReconMesh.Integrations.Http;
using ReconMesh.Contracts;

namespace ReconMesh.Integrations;

public static class IntegrationsExtensions
{
    /// <summary>The clients and writeback adapters of every integration kind ReconMesh supports.</summary>
    public static IServiceCollection AddIntegrations(this IServiceCollection services)
    {
        // AddConnections registers the policy read (and checked) at start; a host without connections reads it when first used.
        services.TryAddSingleton(sp => IntegrationAddressPolicy.FromConfiguration(sp.GetRequiredService<IConfiguration>(), out _));
        services.AddOptions<IntegrationHttpOptions>().BindConfiguration(IntegrationHttpOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddIntegrationResilience();
        services.AddIntegrationHttpClient(QuickBooksClientFactory.HttpClientName, IntegrationKind.QuickBooksOnline);
        services.AddIntegrationHttpClient(ConnectWiseClientFactory.HttpClientName, IntegrationKind.ConnectWisePsa);
        services.AddIntegrationHttpClient(XeroClientFactory.HttpClientName, IntegrationKind.Xero);
        services.AddIntegrationHttpClient(AutotaskClientFactory.HttpClientName, IntegrationKind.AutotaskPsa);
        services.AddSingleton<IApiRateLimiter>(sp => new PostgresApiRateLimiter(
            sp.GetRequiredService<IConfiguration>()[SettingNames.Postgres] ?? throw new InvalidOperationException($"{SettingNames.Postgres} is not set")));
        services.AddSingleton<QuickBooksClientFactory>();
        services.AddSingleton<IPaymentWriteback, QuickBooksPaymentWriteback>();
        services.AddSingleton<ConnectWiseClientFactory>();
        services.AddSingleton<IPaymentWriteback, ConnectWisePaymentWriteback>();
        services.AddSingleton<XeroClientFactory>();
        services.AddSingleton<AutotaskClientFactory>();
        services.AddSingleton<IPaymentWriteback, XeroPaymentWriteback>();
        services.AddSingleton<IDepositWriteback, QuickBooksDepositWriteback>();
        services.AddSingleton<IDepositWriteback, XeroDepositWriteback>();
        services.AddSingleton<AutotaskPaymentWriteback>();
        services.AddSingleton<IPaymentWriteback>(sp => sp.GetRequiredService<AutotaskPaymentWriteback>());
        services.AddSingleton<IPaymentStatusCheck>(sp => sp.GetRequiredService<AutotaskPaymentWriteback>());
        services.AddSingleton<IInvoiceDirectory, QuickBooksInvoiceDirectory>();
        services.AddSingleton<IInvoiceDirectory, XeroInvoiceDirectory>();
        return services;
    }

    /// <summary>
    /// The connections this process serves: those configured, checked at start (a bad one stops the process with its
    /// setting named), and those added through the API that the process's store holds (<see cref="ConnectionRegistry"/>).
    /// </summary>
    public static WebApplicationBuilder AddConnections(this WebApplicationBuilder builder)
    {
        var policy = IntegrationAddressPolicy.FromConfiguration(builder.Configuration, out var policyProblems);
        var catalog = ConnectionCatalog.FromConfiguration(builder.Configuration, out var problems, policy);
        if (policyProblems.Count + problems.Count > 0)
        {
            RequiredSettings.Fail(string.Join("; ", policyProblems.Concat(problems)));
        }

        builder.Services.AddSingleton(policy);
        builder.Services.AddSingleton(catalog);
        builder.Services.AddSingleton<ConnectionRegistry>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ConnectionRegistry>());
        return builder;
    }
}
