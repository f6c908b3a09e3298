using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ReconMesh.Sandbox.Autotask;

/// <summary>Wires the Autotask PSA REST API simulator into a web application.</summary>
public static class AutotaskSimulatorExtensions
{
    /// <summary>Registers the <see cref="AutotaskSimulator"/> singleton, configured from <c>Sandbox:Autotask</c> (see <see cref="AutotaskSimulatorOptions"/>).</summary>
    public static IServiceCollection AddAutotaskSimulator(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<AutotaskSimulatorOptions>().Bind(configuration.GetSection(AutotaskSimulatorOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AutotaskSimulator>();
        services.TryAddSingleton<AutotaskApiHandler>();
        services.TryAddSingleton<AutotaskAdminHandler>();
        return services;
    }

    /// <summary>Maps the REST API under <c>/atservicesrest/…</c> (any case) and the admin API under <c>/admin/autotask</c>.</summary>
    public static IEndpointRouteBuilder MapAutotaskSimulator(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.ServiceProvider.GetRequiredService<AutotaskApiHandler>();
        var admin = endpoints.ServiceProvider.GetRequiredService<AutotaskAdminHandler>();

        endpoints.Map("/atservicesrest/{**path}", new RequestDelegate(api.HandleAsync));

        const string database = "/admin/autotask/databases/{databaseId}";
        endpoints.MapPost("/admin/autotask/databases", new RequestDelegate(admin.CreateDatabaseAsync));
        endpoints.MapGet("/admin/autotask/databases", new RequestDelegate(admin.ListDatabasesAsync));
        endpoints.MapPost(database + "/users", new RequestDelegate(admin.AddUserAsync));
        endpoints.MapGet(database + "/books", new RequestDelegate(admin.BooksAsync));
        endpoints.MapPut(database + "/limits", new RequestDelegate(admin.PutLimitsAsync));
        endpoints.MapPost(database + "/usage", new RequestDelegate(admin.AddUsageAsync));
        endpoints.MapPost(database + "/seed", new RequestDelegate(admin.SeedAsync));
        endpoints.MapPost(database + "/companies", new RequestDelegate(admin.AddCompanyAsync));
        endpoints.MapPost(database + "/invoices", new RequestDelegate(admin.AddInvoiceAsync));
        endpoints.MapPost(database + "/invoices/{invoiceId}/void", new RequestDelegate(admin.VoidInvoiceAsync));
        endpoints.MapPost(database + "/invoices/{invoiceId}/paid", new RequestDelegate(admin.MarkPaidAsync));
        return endpoints;
    }

    /// <summary>
    /// Maps <c>POST /admin/xero/organisations/{tenantId}/mirror-autotask</c> (<see cref="AutotaskXeroMirror"/>), where the
    /// Xero simulator runs beside this one.
    /// </summary>
    public static IEndpointRouteBuilder MapAutotaskXeroMirror(this IEndpointRouteBuilder endpoints) => AutotaskXeroMirror.Map(endpoints);

    /// <summary>
    /// Maps <c>POST /admin/qbo/companies/{realmId}/mirror-autotask</c> (<see cref="AutotaskQuickBooksMirror"/>), where the
    /// QuickBooks simulator runs beside this one.
    /// </summary>
    public static IEndpointRouteBuilder MapAutotaskQuickBooksMirror(this IEndpointRouteBuilder endpoints) => AutotaskQuickBooksMirror.Map(endpoints);
}
