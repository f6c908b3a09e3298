using Microsoft.AspNetCore.Mvc;
using ReconMesh.OperatorConsole.Services;
using ReconMesh.OperatorConsole.SignIn;

namespace ReconMesh.OperatorConsole.Pages.Tenants;

/// <summary>
/// A payment's story: where it stands, what it pays, the integration's ids of what was written, and every event
/// WritebackService recorded for it, with times, details and trace ids. An unknown id, or another tenant's, is not found.
/// </summary>
public sealed class PaymentModel(TenantAccess access, IWritebackApi writeback, InvoiceNames names) : ConsolePage(access)
{
    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    public PaymentDetails? Payment { get; private set; }

    public IReadOnlyDictionary<Guid, InvoiceNames.Named> Invoices { get; private set; } = new Dictionary<Guid, InvoiceNames.Named>();

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!TenantIsTheirs)
        {
            return NotFound();
        }

        var answer = await ServiceCalls.ReadAsync(ServiceClients.WritebackService, () => writeback.PaymentAsync(Tenant, Id, cancellationToken));
        if (Unless(answer) is { } other)
        {
            return other;
        }

        Payment = answer.Value;
        if (Payment?.Allocations is { Count: > 0 } allocations)
        {
            Invoices = await names.LookUpAsync(Tenant, allocations.Select(a => a.InvoiceId), cancellationToken);
        }

        return Page();
    }
}
