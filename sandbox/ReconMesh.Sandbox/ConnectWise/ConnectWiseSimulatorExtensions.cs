using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>Wires the ConnectWise PSA (Manage REST API 3.0) simulator into a web application.</summary>
public static class ConnectWiseSimulatorExtensions
{
    /// <summary>
    /// Registers the <see cref="ConnectWiseSimulator"/> singleton, configured from <c>Sandbox:ConnectWise</c>
    /// (CompanyId, PublicKey, PrivateKey, ClientId, RequestsPerMinute), and the background sender of callbacks.
    /// </summary>
    public static IServiceCollection AddConnectWiseSimulator(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ConnectWiseSimulatorOptions>().Bind(configuration.GetSection(ConnectWiseSimulatorOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new CwCallbackDispatcher(sp.GetRequiredService<ILogger<CwCallbackDispatcher>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, CwCallbackDispatcher>(sp => sp.GetRequiredService<CwCallbackDispatcher>()));
        services.TryAddSingleton(sp => new ConnectWiseSimulator(
            sp.GetRequiredService<IOptions<ConnectWiseSimulatorOptions>>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<CwCallbackDispatcher>()));
        services.TryAddSingleton(sp => new CwApiHandler(sp.GetRequiredService<ConnectWiseSimulator>(), sp.GetRequiredService<ILogger<CwApiHandler>>()));
        services.TryAddSingleton(sp => new CwAdminHandler(sp.GetRequiredService<ConnectWiseSimulator>()));
        return services;
    }

    /// <summary>
    /// Maps the REST API under <c>/v4_6_release/apis/3.0/…</c> (finance/invoices with payments, finance/billingStatuses,
    /// company/companies, company/contacts, system/callbacks), <c>GET /login/companyinfo/{companyId}</c>, and the
    /// admin API under <c>/admin/cw</c> (<c>POST sites</c>, <c>GET sites</c>, <c>POST sites/{companyId}/seed</c>,
    /// <c>POST sites/{companyId}/invoices</c>, <c>PATCH sites/{companyId}/invoices/{id}</c>,
    /// <c>DELETE sites/{companyId}/invoices/{id}</c>, <c>GET sites/{companyId}/books</c>).
    /// </summary>
    public static IEndpointRouteBuilder MapConnectWiseSimulator(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.ServiceProvider.GetRequiredService<CwApiHandler>();
        var admin = endpoints.ServiceProvider.GetRequiredService<CwAdminHandler>();
        var simulator = endpoints.ServiceProvider.GetRequiredService<ConnectWiseSimulator>();

        endpoints.Map(CwSite.ApiPath + "/{**path}", new RequestDelegate(api.HandleAsync));
        endpoints.MapGet("/login/companyinfo/{companyId}", new RequestDelegate(context =>
        {
            var companyId = context.Request.RouteValues["companyId"] as string ?? "";
            var site = simulator.Find(companyId);
            if (site is null)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return context.Response.WriteAsJsonAsync(new { code = "NotFound", message = $"Company {companyId} not found" });
            }

            return context.Response.WriteAsJsonAsync(new Dictionary<string, object>
            {
                ["CompanyName"] = site.CompanyId,
                ["Codebase"] = "v4_6_release/",
                ["VersionCode"] = "v2025.1",
                ["VersionNumber"] = "v4.6.2025.1",
                ["CompanyID"] = site.CompanyId,
                ["IsCloud"] = false,
                ["SiteUrl"] = context.Request.Host.Value ?? "",
            });
        }));

        endpoints.MapPost("/admin/cw/sites", new RequestDelegate(admin.CreateSiteAsync));
        endpoints.MapGet("/admin/cw/sites", new RequestDelegate(admin.ListSitesAsync));
        endpoints.MapPost("/admin/cw/sites/{companyId}/seed", new RequestDelegate(admin.SeedAsync));
        endpoints.MapPost("/admin/cw/sites/{companyId}/invoices", new RequestDelegate(admin.CreateInvoiceAsync));
        endpoints.MapMethods("/admin/cw/sites/{companyId}/invoices/{id}", [HttpMethods.Patch], new RequestDelegate(admin.PatchInvoiceAsync));
        endpoints.MapDelete("/admin/cw/sites/{companyId}/invoices/{id}", new RequestDelegate(admin.DeleteInvoiceAsync));
        endpoints.MapGet("/admin/cw/sites/{companyId}/books", new RequestDelegate(admin.BooksAsync));
        return endpoints;
    }
}
