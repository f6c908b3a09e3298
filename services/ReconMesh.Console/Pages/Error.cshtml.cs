using System.Diagnostics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ReconMesh.OperatorConsole.Pages;

/// <summary>
/// An unexpected failure: the person gets a trace id to give whoever runs the console, nothing of the failure itself;
/// the failure is logged under that trace id.
/// </summary>
[AllowAnonymous]
// Not a check switched off for a page that acts: this page only renders. The exception handler re-executes it for the
// failing request whatever its method, so a POST that failed must reach it without a second antiforgery refusal hiding
// the trace id.
[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed partial class ErrorModel(ILogger<ErrorModel> logger) : PageModel
{
    public string TraceId { get; private set; } = "";

    public void OnGet()
    {
        TraceId = Activity.Current?.TraceId.ToHexString() ?? HttpContext.TraceIdentifier;
        if (HttpContext.Features.Get<IExceptionHandlerPathFeature>() is { Error: { } error } failed)
        {
            LogFailure(logger, error, failed.Path, TraceId);
        }
    }

    /// <summary>A failed POST (retry, dismiss, pause…) is re-executed here as a POST: the same page, the same trace id.</summary>
    public void OnPost() => OnGet();

    [LoggerMessage(LogLevel.Error, "The console failed to answer {Path} (trace {TraceId})")]
    private static partial void LogFailure(ILogger logger, Exception error, string path, string traceId);
}
