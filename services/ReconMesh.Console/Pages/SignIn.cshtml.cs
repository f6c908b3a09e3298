using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ReconMesh.OperatorConsole.SignIn;
using ReconMesh.ServiceDefaults.Security;

namespace ReconMesh.OperatorConsole.Pages;

/// <summary>
/// Sign-in: through the OpenID Connect provider when one is configured, and always by an access token of the issuer,
/// pasted into the form or carried by a sign-in link (<c>/signin#token=...</c>: in the fragment, which the browser does not
/// send, so the token reaches no log; a few lines of script post it). The token is checked exactly as the services
/// check it; its flaw is named, the token never repeated.
/// </summary>
[AllowAnonymous]
[RequestSizeLimit(64 * 1024)]
public sealed class SignInModel(AccessTokenValidator validator, SessionTickets tickets, ConsoleSettings settings) : PageModel
{
    [BindProperty]
    public string? Token { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Problem { get; private set; }

    public bool ProviderConfigured => settings.Oidc is not null;

    public IActionResult OnGetProvider() =>
        ProviderConfigured
            ? Challenge(new AuthenticationProperties { RedirectUri = LocalOrHome(ReturnUrl) }, ConsoleSignIn.OidcScheme)
            : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var token = Token?.Trim();
        Token = null; // never rendered back
        var check = await validator.ValidateAsync(token, cancellationToken);
        if (!check.Accepted)
        {
            Problem = check.Problem;
            return Page();
        }

        var (principal, properties) = tickets.Create(check, token!);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal, properties);
        return LocalRedirect(LocalOrHome(ReturnUrl));
    }

    private string LocalOrHome(string? url) => !string.IsNullOrEmpty(url) && Url.IsLocalUrl(url) ? url : "/";
}
