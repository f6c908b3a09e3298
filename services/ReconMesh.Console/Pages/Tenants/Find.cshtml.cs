using Microsoft.AspNetCore.Mvc;
using ReconMesh.OperatorConsole.Services;
using ReconMesh.OperatorConsole.SignIn;
using ReconMesh.ServiceDefaults.Validation;

namespace ReconMesh.OperatorConsole.Pages.Tenants;

/// <summary>
/// Search a tenant by what a person has in hand: the platform's payment id (straight to the payment's story) or an
/// invoice number (its history, or a list when several connections use the number). Nothing found is said on the page.
/// </summary>
public sealed class FindModel(TenantAccess access, IWritebackApi writeback, IInvoiceIngestApi invoiceIngest) : ConsolePage(access)
{
    [BindProperty(SupportsGet = true)]
    public string? Payment { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Invoice { get; set; }

    /// <summary>What was searched for and not found, said on the page.</summary>
    public string? NothingFound { get; private set; }

    public IReadOnlyList<InvoiceSnapshot> Invoices { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!TenantIsTheirs)
        {
            return NotFound();
        }

        Payment = Payment?.Trim();
        Invoice = Invoice?.Trim();
        if (!string.IsNullOrEmpty(Payment))
        {
            if (!IdBounds.IsExternalId(Payment))
            {
                NothingFound = $"A platform payment id is {IdBounds.ExternalIdRule}.";
                return Page();
            }

            var payment = await ServiceCalls.ReadAsync(ServiceClients.WritebackService, () => writeback.PlatformPaymentAsync(Tenant, Payment, cancellationToken));
            if (payment.Ok)
            {
                return RedirectToPage("/Tenants/Payment", new { tenant = Tenant, id = payment.Value!.MeshPaymentId });
            }

            NothingFound = payment.NotFound ? $"{Tenant} has no payment {IdBounds.Shown(Payment)} that WritebackService knows." : null;
            return payment.NotFound ? Page() : Unless(payment) ?? Page();
        }

        if (!string.IsNullOrEmpty(Invoice))
        {
            if (!IdBounds.IsExternalId(Invoice))
            {
                NothingFound = $"An invoice number is {IdBounds.ExternalIdRule}.";
                return Page();
            }

            var invoices = await ServiceCalls.ReadAsync(ServiceClients.InvoiceIngest, () => invoiceIngest.InvoicesNumberedAsync(Tenant, Invoice, cancellationToken));
            if (Unless(invoices) is { } other)
            {
                return other;
            }

            Invoices = invoices.Value ?? [];
            if (Invoices.Count == 1)
            {
                return RedirectToPage("/Tenants/Invoice", new { tenant = Tenant, id = Invoices[0].InvoiceId });
            }

            NothingFound = invoices.Ok && Invoices.Count == 0 ? $"{Tenant} has no invoice numbered {IdBounds.Shown(Invoice)}." : null;
        }

        return Page();
    }
}
