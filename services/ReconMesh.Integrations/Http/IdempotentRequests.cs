namespace ReconMesh.Integrations.Http;

/// <summary>
/// Which calls to an integration may be repeated blindly, when an attempt's answer was an error or never came: those
/// whose repeat cannot do the work twice. Reads (GET), and writes the adapter marks with an idempotency key the
/// integration honours: QuickBooks' <c>requestid</c> query parameter, under which a repeated write gets the stored
/// answer instead of being applied again; and a POST that only reads (Autotask's <c>{Entity}/query</c>, whose search
/// is the body), marked by its client with the request option <see cref="ReadOnlyPost"/>. Everything else (a ConnectWise POST, PATCH or DELETE) is sent once; its
/// adapter decides what a lost answer means (ConnectWise looks for its marker before writing again).
/// </summary>
public static class IdempotentRequests
{
    /// <summary>The query parameter QuickBooks Online keys a write's idempotency on.</summary>
    public const string QuickBooksRequestId = "requestid";

    /// <summary>The request option (Refit: a <c>[Property(ReadOnlyPost)] bool</c> parameter) that marks a POST as a read.</summary>
    public const string ReadOnlyPost = "ReconMesh.ReadOnlyPost";

    public static bool IsReplayable(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Method == HttpMethod.Get || CarriesKey(request.RequestUri)
            || (request.Method == HttpMethod.Post && ((IDictionary<string, object?>)request.Options).TryGetValue(ReadOnlyPost, out var read) && read is true);
    }

    private static bool CarriesKey(Uri? uri) =>
        uri is not null && (uri.IsAbsoluteUri ? uri.Query : uri.OriginalString)
            .TrimStart('?').Split('&', '?').Any(p => p.StartsWith(QuickBooksRequestId + "=", StringComparison.OrdinalIgnoreCase));
}
