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

    public void OnPost() => OnGet();

    [LoggerMessage(LogLevel.Error, "The console failed to answer {Path} (trace {TraceId})")]
    private static partial void LogFailure(ILogger logger, Exception error, string path, string traceId);
}
