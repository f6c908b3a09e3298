using Microsoft.AspNetCore.Mvc;
using ReconMesh.OperatorConsole.Services;
using ReconMesh.OperatorConsole.SignIn;

namespace ReconMesh.OperatorConsole.Pages.Tenants;

/// <summary>An invoice as last read from its integration, and its history: every change InvoiceIngest recorded.</summary>
public sealed class InvoiceModel(TenantAccess access, IInvoiceIngestApi invoiceIngest) : ConsolePage(access)
{
    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    public InvoiceDetails? Details { get; private set; }

    /// <summary>The invoice's page in its integration, where the real service has one.</summary>
    public Uri? InIntegration { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!TenantIsTheirs)
        {
            return NotFound();
        }

        var answer = await ServiceCalls.ReadAsync(ServiceClients.InvoiceIngest, () => invoiceIngest.InvoiceAsync(Tenant, Id, cancellationToken));
        if (Unless(answer) is { } other)
        {
            return other;
        }

        Details = answer.Value;
        if (Details is { } details)
        {
            // Only for the link into the integration: a connection that cannot be read leaves the id shown without it.
            var connection = await ServiceCalls.ReadAsync(ServiceClients.InvoiceIngest,
                () => invoiceIngest.ConnectionAsync(Tenant, details.Invoice.ConnectionId, cancellationToken));
            InIntegration = connection.Value is { } c ? IntegrationLinks.Invoice(c.Kind, c.Settings?.BaseUrl, details.Invoice.ExternalId) : null;
        }

        return Page();
    }
}
