using Microsoft.AspNetCore.Mvc;
using ReconMesh.OperatorConsole.Services;
using ReconMesh.OperatorConsole.SignIn;
using ReconMesh.ServiceDefaults.Validation;

namespace ReconMesh.OperatorConsole.Pages.Tenants;

/// <summary>
/// Search a tenant by what a person has in hand: the platform's payment id (straight to the payment's story) or an
/// invoice number (its history, or a list when several connections use the number), or a customer (their name or part of
/// it, or the integration's id of them: their invoices, a page of <see cref="CustomerInvoices"/> at most). Nothing found is
/// said on the page.
/// </summary>
public sealed class FindModel(TenantAccess access, IWritebackApi writeback, IInvoiceIngestApi invoiceIngest) : ConsolePage(access)
{
    [BindProperty(SupportsGet = true)]
    public string? Payment { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Invoice { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Customer { get; set; }

    /// <summary>The most invoices of a customer listed.</summary>
    public const int CustomerInvoices = 50;

    /// <summary>The invoices found by customer (rather than by number).</summary>
    public bool ByCustomer { get; private set; }

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
            return Page();
        }

        Customer = Customer?.Trim();
        return string.IsNullOrEmpty(Customer) ? Page() : await FindCustomerAsync(Customer, cancellationToken);
    }

    private async Task<IActionResult> FindCustomerAsync(string customer, CancellationToken cancellationToken)
    {
        if (!IdBounds.IsExternalId(customer))
        {
            NothingFound = $"A customer's name or id is {IdBounds.ExternalIdRule}.";
            return Page();
        }

        var invoices = await ServiceCalls.ReadAsync(ServiceClients.InvoiceIngest,
            () => invoiceIngest.InvoicesOfCustomerAsync(Tenant, customer, CustomerInvoices, cancellationToken));
        if (Unless(invoices) is { } other)
        {
            return other;
        }

        ByCustomer = true;
        Invoices = invoices.Value ?? [];
        NothingFound = invoices.Ok && Invoices.Count == 0 ? $"{Tenant} has no invoice of a customer named or with the id {IdBounds.Shown(customer)}." : null;
        return Page();
    }
}
