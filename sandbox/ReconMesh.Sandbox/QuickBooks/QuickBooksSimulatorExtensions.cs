using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>Wires the QuickBooks Online simulator into a web application.</summary>
public static class QuickBooksSimulatorExtensions
{
    /// <summary>
    /// Registers the <see cref="QuickBooksSimulator"/> singleton, configured from <c>Sandbox:QuickBooks</c>
    /// (RealmId, AccessToken, RequestsPerMinute, MaxConcurrent, TimeZone, WebhookBatchMilliseconds, WebhookRetries,
    /// WebhookRetryMilliseconds), and the background webhook dispatcher.
    /// </summary>
    public static IServiceCollection AddQuickBooksSimulator(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<QuickBooksSimulatorOptions>().Bind(configuration.GetSection(QuickBooksSimulatorOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<QuickBooksSimulator>();
        services.TryAddSingleton<QboApiHandler>();
        services.TryAddSingleton<QboAdminHandler>();
        services.TryAddSingleton<QboWebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<QboWebhookDispatcher>());
        return services;
    }

    /// <summary>
    /// Maps the Accounting API v3 under <c>/v3/company/{realmId}/…</c> and the admin API under <c>/admin/qbo</c>
    /// (<c>POST companies</c>, <c>GET companies</c>, <c>POST companies/{realmId}/seed</c>, <c>GET companies/{realmId}/books</c>,
    /// <c>PUT|GET|DELETE companies/{realmId}/webhook</c>).
    /// </summary>
    public static IEndpointRouteBuilder MapQuickBooksSimulator(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.ServiceProvider.GetRequiredService<QboApiHandler>();
        var admin = endpoints.ServiceProvider.GetRequiredService<QboAdminHandler>();

        endpoints.Map("/v3/company/{realmId}/{**path}", new RequestDelegate(api.HandleCompanyAsync));
        endpoints.Map("/v3/{**path}", new RequestDelegate(api.HandleUnroutedAsync));

        endpoints.MapPost("/admin/qbo/companies", new RequestDelegate(admin.CreateCompanyAsync));
        endpoints.MapGet("/admin/qbo/companies", new RequestDelegate(admin.ListCompaniesAsync));
        endpoints.MapPost("/admin/qbo/companies/{realmId}/seed", new RequestDelegate(admin.SeedAsync));
        endpoints.MapGet("/admin/qbo/companies/{realmId}/books", new RequestDelegate(admin.BooksAsync));
        endpoints.MapGet("/admin/qbo/companies/{realmId}/bookings", new RequestDelegate(admin.BookingsAsync));
        endpoints.MapPost("/admin/qbo/companies/{realmId}/concurrent-edits", new RequestDelegate(admin.ArmConcurrentEditsAsync));
        endpoints.MapPut("/admin/qbo/companies/{realmId}/webhook", new RequestDelegate(admin.PutWebhookAsync));
        endpoints.MapGet("/admin/qbo/companies/{realmId}/webhook", new RequestDelegate(admin.GetWebhookAsync));
        endpoints.MapDelete("/admin/qbo/companies/{realmId}/webhook", new RequestDelegate(admin.DeleteWebhookAsync));
        return endpoints;
    }
}
