using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ReconMesh.OperatorConsole.Services;
using ReconMesh.OperatorConsole.SignIn;

namespace ReconMesh.OperatorConsole.Pages;

/// <summary>
/// What every tenant page shares: the tenant from the address (one the person's token names, or the page is "not
/// found", as the services answer), whether the person may change things, and how a service's answer becomes what the
/// person sees: a 404 page for an unknown or foreign id, the session-ended page when the service no longer takes the token,
/// otherwise a message on the page.
/// </summary>
public abstract class ConsolePage(TenantAccess access) : PageModel
{
    /// <summary>The tenant in the address (<c>/tenants/{tenant}/...</c>).</summary>
    [BindProperty(SupportsGet = true)]
    public string Tenant { get; set; } = "";

    /// <summary>Why part of the page could not be shown (a service unreachable or refusing), or null.</summary>
    public string? Problem { get; protected set; }

    /// <summary>What an action just did, carried over the redirect after it.</summary>
    [TempData]
    public string? Done { get; set; }

    /// <summary>Whether what the action did was refused or not done (shown as a warning rather than a success).</summary>
    [TempData]
    public bool DoneWasRefused { get; set; }

    public bool MayChange => TenantAccess.MayChange(User);

    protected TenantAccess Access => access;

    /// <summary>Whether the person may open <see cref="Tenant"/>; a page answers "not found" otherwise.</summary>
    protected bool TenantIsTheirs => access.MaySee(User, Tenant);

    /// <summary>
    /// The page for a service's answer that has no value: not found, session ended, or null with <see cref="Problem"/> set
    /// so the page shows its error state.
    /// </summary>
    protected IActionResult? Unless<T>(ServiceAnswer<T> answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.Ok)
        {
            return null;
        }

        if (answer.NotFound)
        {
            return NotFound();
        }

        if (answer.SessionEnded)
        {
            return Redirect(ConsoleSignIn.SessionEndedPath);
        }

        Problem = answer.Problem;
        return null;
    }

    /// <summary>After an action: its outcome carried to the next page (post, redirect, get).</summary>
    protected void Tell(string message, bool refused)
    {
        Done = message;
        DoneWasRefused = refused;
    }
}
