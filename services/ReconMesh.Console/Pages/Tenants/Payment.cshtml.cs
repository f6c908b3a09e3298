using Microsoft.AspNetCore.Mvc;
using ReconMesh.OperatorConsole.Services;
using ReconMesh.OperatorConsole.SignIn;

namespace ReconMesh.OperatorConsole.Pages.Tenants;

/// <summary>
/// A payment's story: where it stands, what it pays, the integration's ids of what was written, and every event
/// WritebackService recorded for it, with times, details and trace ids. An unknown id, or another tenant's, is not found.
/// </summary>
public sealed class PaymentModel(TenantAccess access, IWritebackApi writeback, IInvoiceIngestApi invoiceIngest, InvoiceNames names) : ConsolePage(access)
{
    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    public PaymentDetails? Payment { get; private set; }

    public IReadOnlyDictionary<Guid, InvoiceNames.Named> Invoices { get; private set; } = new Dictionary<Guid, InvoiceNames.Named>();

    /// <summary>The connection the payment was written to, for links into its integration; null when unknown.</summary>
    public ConnectionView? Connection { get; private set; }

    public Uri? PaymentLink(string externalId) =>
        Connection is { } c ? IntegrationLinks.Payment(c.Kind, c.Settings?.BaseUrl, externalId) : null;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken) ?? Page();

    /// <summary>The payment's part of the page alone, for the page to refresh in place while the payment is on its way.</summary>
    public async Task<IActionResult> OnGetStoryAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) switch
        {
            null => Partial("_PaymentStory", this),
            RedirectResult => Unauthorized(),
            var other => other,
        };

    private async Task<IActionResult?> LoadAsync(CancellationToken cancellationToken)
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

        if (Payment?.WrittenTo is { } connectionId)
        {
            // Only for links: a connection that cannot be read leaves the ids shown without them.
            var connection = await ServiceCalls.ReadAsync(ServiceClients.InvoiceIngest, () => invoiceIngest.ConnectionAsync(Tenant, connectionId, cancellationToken));
            Connection = connection.Value;
        }

        return null;
    }
}
