using Microsoft.AspNetCore.Mvc;
using ReconMesh.OperatorConsole.Services;
using ReconMesh.OperatorConsole.SignIn;

namespace ReconMesh.OperatorConsole.Pages.Tenants;

/// <summary>
/// A tenant's payouts against the deposits the books hold for them, newest first, 25 a page: what the platform paid
/// out and the fees it kept, the deposit (its total, the account, the integration's id) and whether the two match; those
/// that need a person (a deposit that differs, or none where one was due) highlighted, or listed alone.
/// </summary>
public sealed class PayoutsModel(TenantAccess access, IWritebackApi writeback) : ConsolePage(access)
{
    public const int PageSize = 25;

    /// <summary>The page asked for (from 1).</summary>
    [BindProperty(SupportsGet = true, Name = "number")]
    public int PageNumber { get; set; } = 1;

    /// <summary>Only the payouts that need a person.</summary>
    [BindProperty(SupportsGet = true)]
    public bool Attention { get; set; }

    public PayoutPage? Payouts { get; private set; }

    public bool HasNext => Payouts is { } p && p.Page * p.PageSize < p.Total;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!TenantIsTheirs)
        {
            return NotFound();
        }

        PageNumber = Math.Clamp(PageNumber, 1, 10_000);
        var answer = await ServiceCalls.ReadAsync(ServiceClients.WritebackService,
            () => writeback.PayoutsAsync(Tenant, PageNumber, PageSize, Attention ? true : null, cancellationToken));
        if (Unless(answer) is { } other)
        {
            return other;
        }

        Payouts = answer.Value;
        return Page();
    }
}
