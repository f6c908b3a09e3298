using Microsoft.AspNetCore.Mvc;
using ReconMesh.OperatorConsole.Services;
using ReconMesh.OperatorConsole.SignIn;

namespace ReconMesh.OperatorConsole.Pages.Tenants;

/// <summary>
/// One connection: its status and sync, how it is set up (no secret: the services send none), and pause, resume and
/// reconcile, each after a confirmation, for those who may change things (InvoiceIngest refuses the others too).
/// </summary>
public sealed class ConnectionModel(TenantAccess access, IInvoiceIngestApi invoiceIngest, ActionIntents intents) : ConsolePage(access)
{
    public static readonly IReadOnlyList<string> Acts = ["pause", "resume", "reconcile"];

    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    /// <summary>The action being confirmed (<see cref="Acts"/>), or null for the plain page.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Act { get; set; }

    [BindProperty]
    public Guid Intent { get; set; }

    public ConnectionView? Connection { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!TenantIsTheirs)
        {
            return NotFound();
        }

        if (Act is not null && (!Acts.Contains(Act) || !MayChange))
        {
            return MayChange ? NotFound() : Forbid();
        }

        var answer = await ServiceCalls.ReadAsync(ServiceClients.InvoiceIngest, () => invoiceIngest.ConnectionAsync(Tenant, Id, cancellationToken));
        if (Unless(answer) is { } other)
        {
            return other;
        }

        Connection = answer.Value;
        Intent = Guid.NewGuid();
        ModelState.Remove(nameof(Intent));
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!TenantIsTheirs || Act is null || !Acts.Contains(Act))
        {
            return NotFound();
        }

        if (!MayChange)
        {
            return Forbid();
        }

        if (!intents.TryBegin(Intent))
        {
            Tell("This was already sent (a second click, or the form sent again): nothing was done twice.", refused: true);
            return RedirectToPage(new { tenant = Tenant, id = Id, act = (string?)null });
        }

        var answer = Act switch
        {
            "pause" => await ServiceCalls.SendAsync(ServiceClients.InvoiceIngest, async () => await invoiceIngest.PauseAsync(Tenant, Id, cancellationToken)),
            "resume" => await ServiceCalls.SendAsync(ServiceClients.InvoiceIngest, async () => await invoiceIngest.ResumeAsync(Tenant, Id, cancellationToken)),
            _ => await ServiceCalls.SendAsync(ServiceClients.InvoiceIngest, () => invoiceIngest.ReconcileAsync(Tenant, Id, cancellationToken)),
        };
        if (answer.Ok)
        {
            Tell(Act switch
            {
                "pause" => "Paused: nothing is read from this integration until it is resumed. Payments are still written to it.",
                "resume" => "Resumed: the connection syncs again, starting now.",
                _ => "Reconciliation requested: every open invoice will be checked against the integration.",
            }, refused: false);
            return RedirectToPage(new { tenant = Tenant, id = Id, act = (string?)null });
        }

        if (Unless(answer) is { } other)
        {
            return other;
        }

        Act = null;
        return await OnGetAsync(cancellationToken);
    }
}
