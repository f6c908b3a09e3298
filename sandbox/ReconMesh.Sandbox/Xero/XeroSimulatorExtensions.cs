using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ReconMesh.Sandbox.Xero;

/// <summary>Wires the Xero Accounting API simulator into a web application.</summary>
public static class XeroSimulatorExtensions
{
    /// <summary>Registers the <see cref="XeroSimulator"/> singleton, configured from <c>Sandbox:Xero</c> (see <see cref="XeroSimulatorOptions"/>).</summary>
    public static IServiceCollection AddXeroSimulator(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<XeroSimulatorOptions>().Bind(configuration.GetSection(XeroSimulatorOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<XeroSimulator>();
        services.TryAddSingleton<XeroApiHandler>();
        services.TryAddSingleton<XeroAdminHandler>();
        services.TryAddSingleton<XeroWebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<XeroWebhookDispatcher>());
        return services;
    }

    /// <summary>Maps the Accounting API under <c>/api.xro/2.0/…</c> and the admin API under <c>/admin/xero</c>.</summary>
    public static IEndpointRouteBuilder MapXeroSimulator(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.ServiceProvider.GetRequiredService<XeroApiHandler>();
        var admin = endpoints.ServiceProvider.GetRequiredService<XeroAdminHandler>();

        endpoints.Map("/api.xro/2.0/{**path}", new RequestDelegate(api.HandleAsync));

        const string organisation = "/admin/xero/organisations/{tenantId}";
        endpoints.MapPost("/admin/xero/organisations", new RequestDelegate(admin.CreateOrganisationAsync));
        endpoints.MapGet("/admin/xero/organisations", new RequestDelegate(admin.ListOrganisationsAsync));
        endpoints.MapPost("/admin/xero/tokens/expire", new RequestDelegate(admin.ExpireTokenAsync));
        endpoints.MapPut("/admin/xero/webhook", new RequestDelegate(admin.PutWebhookAsync));
        endpoints.MapGet("/admin/xero/webhook", new RequestDelegate(admin.GetWebhookAsync));
        endpoints.MapDelete("/admin/xero/webhook", new RequestDelegate(admin.DeleteWebhookAsync));
        endpoints.MapGet(organisation + "/books", new RequestDelegate(admin.BooksAsync));
        endpoints.MapPut(organisation + "/limits", new RequestDelegate(admin.PutLimitsAsync));
        endpoints.MapMethods(organisation + "/connections", [HttpMethods.Post, HttpMethods.Delete], new RequestDelegate(admin.ConnectionAsync));
        endpoints.MapPost(organisation + "/seed", new RequestDelegate(admin.SeedManyAsync));
        endpoints.MapPost(organisation + "/contacts", new RequestDelegate(admin.AddContactAsync));
        endpoints.MapPost(organisation + "/accounts", new RequestDelegate(admin.AddAccountAsync));
        endpoints.MapPost(organisation + "/invoices", new RequestDelegate(admin.AddInvoiceAsync));
        endpoints.MapPost(organisation + "/invoices/{invoiceId}/status", new RequestDelegate(admin.ChangeInvoiceStatusAsync));
        return endpoints;
    }

    /// <summary>
    /// Maps <c>POST /admin/xero/organisations/{tenantId}/mirror-connectwise</c> (<see cref="XeroConnectWiseMirror"/>),
    /// where the ConnectWise simulator runs beside this one.
    /// </summary>
    public static IEndpointRouteBuilder MapXeroConnectWiseMirror(this IEndpointRouteBuilder endpoints) => XeroConnectWiseMirror.Map(endpoints);
}
