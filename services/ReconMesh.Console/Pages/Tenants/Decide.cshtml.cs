using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using ReconMesh.OperatorConsole.Services;
using ReconMesh.OperatorConsole.SignIn;

namespace ReconMesh.OperatorConsole.Pages.Tenants;

/// <summary>
/// Retry or dismiss an exception: a confirmation page with a note (what was fixed; why it needs nothing more), then the
/// request to WritebackService, sent once per confirmation (<see cref="ActionIntents"/>), and its outcome shown on the
/// payment's story at once. Only for those who may change things; the service refuses the others too.
/// </summary>
public sealed class DecideModel(TenantAccess access, IWritebackApi writeback, ActionIntents intents) : ConsolePage(access)
{
    public const int MaxNoteLength = 500;

    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    [BindProperty(SupportsGet = true)]
    public string Decision { get; set; } = "";

    [BindProperty]
    [StringLength(MaxNoteLength, ErrorMessage = "A note is at most 500 characters.")]
    public string? Note { get; set; }

    [BindProperty]
    public Guid Intent { get; set; }

    public PaymentDetails? Payment { get; private set; }

    public bool IsRetry => Decision == "retry";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!TenantIsTheirs)
        {
            return NotFound();
        }

        if (!MayChange)
        {
            return Forbid();
        }

        var answer = await ServiceCalls.ReadAsync(ServiceClients.WritebackService, () => writeback.PaymentAsync(Tenant, Id, cancellationToken));
        if (Unless(answer) is { } other)
        {
            return other;
        }

        Payment = answer.Value;
        Intent = Guid.NewGuid();
        ModelState.Remove(nameof(Intent)); // a form shown again gets a fresh intent, not the one posted
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!TenantIsTheirs)
        {
            return NotFound();
        }

        if (!MayChange)
        {
            return Forbid();
        }

        if (!IsRetry && string.IsNullOrWhiteSpace(Note))
        {
            ModelState.AddModelError(nameof(Note), "Say why this payment needs nothing more from ReconMesh; it is kept in its story.");
        }

        if (!ModelState.IsValid)
        {
            return await OnGetAsync(cancellationToken);
        }

        if (!intents.TryBegin(Intent))
        {
            Tell("This was already sent (a second click, or the form sent again): nothing was done twice.", refused: true);
            return RedirectToPage("/Tenants/Payment", new { tenant = Tenant, id = Id });
        }

        var who = TenantAccess.Who(User);
        var note = Note?.Trim();
        var answer = IsRetry
            ? await ServiceCalls.SendAsync(ServiceClients.WritebackService, () => writeback.RetryAsync(Tenant, Id, new RetryRequest(who, note), cancellationToken))
            : await ServiceCalls.SendAsync(ServiceClients.WritebackService, () => writeback.DismissAsync(Tenant, Id, new DismissRequest(who, note!), cancellationToken));
        if (answer.Ok)
        {
            Tell(IsRetry
                ? "Retry requested: ReconMesh is writing this payment again. Its state and story below follow what happens."
                : "Dismissed: the payment needs nothing more from ReconMesh, and your note is kept in its story.", refused: false);
            return RedirectToPage("/Tenants/Payment", new { tenant = Tenant, id = Id });
        }

        if (answer.Conflict)
        {
            Tell($"Nothing was done: this payment is no longer waiting for a person. ({answer.Problem})", refused: true);
            return RedirectToPage("/Tenants/Payment", new { tenant = Tenant, id = Id });
        }

        if (Unless(answer) is { } other)
        {
            return other;
        }

        return await OnGetAsync(cancellationToken);
    }
}
