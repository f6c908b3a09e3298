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
        return Page();
    }
}
