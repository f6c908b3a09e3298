using Microsoft.AspNetCore.Mvc;
using ReconMesh.OperatorConsole.Services;
using ReconMesh.OperatorConsole.SignIn;

namespace ReconMesh.OperatorConsole.Pages;

/// <summary>
/// The tenant overview: for each tenant the person may see, its connections (status, initial sync, last sync), its
/// payments by state and its open exceptions, each read from the service that knows it. One service failing leaves the
/// others' parts shown, with the failure said where its part would be.
/// </summary>
public sealed class IndexModel(TenantAccess access, IInvoiceIngestApi invoiceIngest, IWritebackApi writeback) : ConsolePage(access)
{
    /// <summary>The most tenants shown at once (a token naming more is cut here, and the page says so).</summary>
    public const int MaxTenants = 20;

    public sealed record TenantOverview(
        string Tenant, ServiceAnswer<List<ConnectionView>> Connections, ServiceAnswer<PaymentStates> Payments, ServiceAnswer<List<PaymentDetails>> Exceptions,
        ServiceAnswer<PayoutPage> Payouts);

    /// <summary>A tenant's connections: the part of the overview refreshed in place while an initial sync runs.</summary>
    public sealed record TenantConnections(string Tenant, ServiceAnswer<List<ConnectionView>> Connections);

    public IReadOnlyList<TenantOverview> Overviews { get; private set; } = [];

    public int TenantsNamed { get; private set; }

    public bool IsAdmin => TenantAccess.IsAdmin(User);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var tenants = Access.Tenants(User).ToList();
        if (IsAdmin && !string.IsNullOrWhiteSpace(Tenant))
        {
            // An admin sees every tenant but the token names none: the one asked for.
            return Access.MaySee(User, Tenant) ? RedirectToPage("/Tenants/Exceptions", new { tenant = Tenant }) : NotFound();
        }

        TenantsNamed = tenants.Count;
        var overviews = await Task.WhenAll(tenants.Take(MaxTenants).Select(t => OverviewAsync(t, cancellationToken)));
        if (overviews.Any(o => o.Connections.SessionEnded || o.Payments.SessionEnded || o.Exceptions.SessionEnded || o.Payouts.SessionEnded))
        {
            return Redirect(ConsoleSignIn.SessionEndedPath);
        }

        Overviews = overviews;
        return Page();
    }

    private async Task<TenantOverview> OverviewAsync(string tenant, CancellationToken cancellationToken)
    {
        var connections = ServiceCalls.ReadAsync(ServiceClients.InvoiceIngest, () => invoiceIngest.ConnectionsAsync(tenant, cancellationToken));
        var payments = ServiceCalls.ReadAsync(ServiceClients.WritebackService, () => writeback.PaymentStatesAsync(tenant, cancellationToken));
        var exceptions = ServiceCalls.ReadAsync(ServiceClients.WritebackService, () => writeback.ExceptionsAsync(tenant, cancellationToken));
        var payouts = ServiceCalls.ReadAsync(ServiceClients.WritebackService, () => writeback.PayoutsAsync(tenant, 1, 1, null, cancellationToken));
        return new TenantOverview(tenant, await connections, await payments, await exceptions, await payouts);
    }

    /// <summary>The connections of tenant <paramref name="of"/> alone (<c>/?handler=Connections&amp;of=...</c>), for the overview to refresh in place.</summary>
    public async Task<IActionResult> OnGetConnectionsAsync(string? of, CancellationToken cancellationToken)
    {
        if (of is null || !Access.MaySee(User, of))
        {
            return NotFound();
        }

        var connections = await ServiceCalls.ReadAsync(ServiceClients.InvoiceIngest, () => invoiceIngest.ConnectionsAsync(of, cancellationToken));
        return connections.SessionEnded ? Unauthorized() : Partial("_Connections", new TenantConnections(of, connections));
    }
}
