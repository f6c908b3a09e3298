using Microsoft.AspNetCore.Mvc;
using ReconMesh.OperatorConsole.Services;
using ReconMesh.OperatorConsole.SignIn;

namespace ReconMesh.OperatorConsole.Pages.Tenants;

/// <summary>A tenant's invoices as InvoiceIngest holds them, by number, a page at a time; open ones only if asked.</summary>
public sealed class InvoicesModel(TenantAccess access, IInvoiceIngestApi invoiceIngest) : ConsolePage(access)
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public bool Open { get; set; }

    [BindProperty(SupportsGet = true, Name = "number")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<InvoiceSnapshot> Invoices { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!TenantIsTheirs)
        {
            return NotFound();
        }

        PageNumber = Math.Clamp(PageNumber, 1, 100_000);
        var answer = await ServiceCalls.ReadAsync(ServiceClients.InvoiceIngest,
            () => invoiceIngest.InvoicesAsync(Tenant, Open ? true : null, PageNumber, PageSize, cancellationToken));
        if (Unless(answer) is { } other)
        {
            return other;
        }

        Invoices = answer.Value ?? [];
        return Page();
    }
}
