namespace ReconMesh.Sandbox.Faults;

/// <summary>
/// An answer a simulator gives instead of handling a request, as a real integration's API sometimes does: an HTML error
/// page from a gateway or a login redirect, a body cut off by a proxy, a JSON answer under the wrong content type, or a
/// record no client should trust (an invoice without a customer, an amount of 1e30). Queued with
/// <c>POST /admin/faults/{simulator}/answers</c>; each matching request takes the next one (first queued, first served)
/// until it has been given <see cref="Times"/> times. The request itself is not handled: nothing is written.
/// </summary>
public sealed record SandboxScriptedAnswer
{
    public const int MaxBodyChars = 2 * 1024 * 1024;
    public const int MaxHeaders = 10;
    public const int MaxHeaderChars = 8 * 1024;

    /// <summary>
    /// Which requests get it: a case-insensitive substring of <c>"METHOD /path?query"</c> with the query decoded (e.g.
    /// <c>GET /v3/company/123/query</c> or <c>from Invoice</c>). Empty or missing: any request to the simulator.
    /// </summary>
    public string? Match { get; init; }

    /// <summary>The HTTP status (100..599).</summary>
    public int Status { get; init; } = 200;

    /// <summary>The Content-Type header; missing: none is sent.</summary>
    public string? ContentType { get; init; }

    /// <summary>
    /// More response headers, sent as given (e.g. a <c>Retry-After</c> no client expects): at most <see cref="MaxHeaders"/>,
    /// names of letters, digits and hyphens, values of printable ASCII (no CR or LF) up to <see cref="MaxHeaderChars"/> characters.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>The body, sent byte for byte as UTF-8 (it need not be valid JSON: that is the point).</summary>
    public string Body { get; init; } = "";

    /// <summary>How many matching requests get it (1..1000).</summary>
    public int Times { get; init; } = 1;

    /// <summary>Why the answer is invalid, or null when it is fine.</summary>
    public string? Validate() =>
        Status is < 100 or > 599 ? "status must be between 100 and 599."
        : Times is < 1 or > 1000 ? "times must be between 1 and 1000."
        : Body.Length > MaxBodyChars ? $"body must be at most {MaxBodyChars} characters."
        : Headers is { Count: > MaxHeaders } ? $"headers may be at most {MaxHeaders}."
        : Headers?.Any(h => h.Key.Length is 0 or > 100 || !h.Key.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            || h.Value.Length > MaxHeaderChars || !h.Value.All(c => c is >= ' ' and <= '~')) == true
            ? $"headers must have names of letters, digits and hyphens and values of printable ASCII, at most {MaxHeaderChars} characters."
        : null;

    /// <summary>Whether the request (<c>"METHOD /path?decoded query"</c>) is one this answer is for.</summary>
    public bool Matches(string request) => string.IsNullOrEmpty(Match) || request.Contains(Match, StringComparison.OrdinalIgnoreCase);
}

/// <summary>A queued answer and how many more requests will get it.</summary>
public sealed record SandboxScriptedAnswerState(SandboxScriptedAnswer Answer, int Left);
