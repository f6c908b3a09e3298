using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ReconMesh.OperatorConsole.Pages;

/// <summary>
/// The page for an error status (404 for an unknown id, a tenant that is not the person's, or an address that does not
/// exist; 403 for what the person's role does not allow): the same words whether the thing exists elsewhere or not.
/// </summary>
[AllowAnonymous]
public sealed class StatusModel : PageModel
{
    public int Code { get; private set; }

    public void OnGet(int code) => Code = code;
}
