using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ReconMesh.OperatorConsole.Pages;

/// <summary>Where a request of a session whose token expired lands: nothing it asked for was done.</summary>
[AllowAnonymous]
public sealed class SessionEndedModel : PageModel
{
}
