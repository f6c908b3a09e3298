using Microsoft.AspNetCore.Mvc;
using ReconMesh.OperatorConsole.Services;
using ReconMesh.OperatorConsole.SignIn;

namespace ReconMesh.OperatorConsole.Pages.Tenants;

/// <summary>
/// The exceptions queue of one tenant: every payment waiting for a person, with its reason, amount, customer, invoice
/// numbers and how long it has waited, oldest first; filtered by reason; Retry and Dismiss for those who may change things.
/// </summary>
public sealed class ExceptionsModel(TenantAccess access, IWritebackApi writeback, InvoiceNames names, TimeProvider clock) : ConsolePage(access)
{
    /// <summary>The most rows on one page; the rest are counted.</summary>
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string? Reason { get; set; }

    public IReadOnlyList<PaymentDetails> Shown { get; private set; } = [];

    public int Waiting { get; private set; }

    public IReadOnlyList<string> Reasons { get; private set; } = [];

    public IReadOnlyDictionary<Guid, InvoiceNames.Named> Invoices { get; private set; } = new Dictionary<Guid, InvoiceNames.Named>();

    public DateTimeOffset Now { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!TenantIsTheirs)
        {
            return NotFound();
        }

        Now = clock.GetUtcNow();
        var answer = await ServiceCalls.ReadAsync(ServiceClients.WritebackService, () => writeback.ExceptionsAsync(Tenant, cancellationToken));
        if (Unless(answer) is { } other)
        {
            return other;
        }

        if (answer.Ok)
        {
            var all = answer.Value!;
            Waiting = all.Count;
            Reasons = [.. all.Select(e => e.ReasonCode ?? "unknown").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
            var matching = all.Where(e => string.IsNullOrEmpty(Reason) || (e.ReasonCode ?? "unknown") == Reason).ToList();
            Shown = [.. matching.Take(PageSize)];
            Invoices = await names.LookUpAsync(Tenant, Shown.SelectMany(e => e.Allocations ?? []).Select(a => a.InvoiceId), cancellationToken);
        }

        return Page();
    }

    /// <summary>How long the payment has waited, in words.</summary>
    public string Age(PaymentDetails payment)
    {
        ArgumentNullException.ThrowIfNull(payment);
        var age = Now - payment.UpdatedAt;
        return age.TotalMinutes < 1 ? "under a minute"
            : age.TotalHours < 1 ? $"{(int)age.TotalMinutes} min"
            : age.TotalDays < 2 ? $"{(int)age.TotalHours} h"
            : $"{(int)age.TotalDays} days";
    }
}
