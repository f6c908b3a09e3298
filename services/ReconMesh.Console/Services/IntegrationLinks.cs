namespace ReconMesh.OperatorConsole.Services;

/// <summary>
/// Links into an integration's own pages, only where the real service has such addresses and they are known:
/// QuickBooks Online's invoice and received-payment pages (<c>https://app.qbo.intuit.com/app/invoice?txnId=...</c>,
/// <c>.../app/recvpayment?txnId=...</c>), which open in the company the person is signed in to. Only for a connection
/// to Intuit's production API: a sandbox company or the project's simulator has no such page. ConnectWise, Xero and
/// Autotask get none: their pages' addresses are not documented where this project takes its facts from.
/// </summary>
public static class IntegrationLinks
{
    private const string QuickBooksApp = "https://app.qbo.intuit.com/app/";
    private const string QuickBooksApiHost = "quickbooks.api.intuit.com";

    /// <summary>The integration's page of an invoice, or null.</summary>
    public static Uri? Invoice(string kind, Uri? apiBase, string externalId) => QuickBooks(kind, apiBase, "invoice", externalId);

    /// <summary>The integration's page of a payment it recorded, or null.</summary>
    public static Uri? Payment(string kind, Uri? apiBase, string externalId) => QuickBooks(kind, apiBase, "recvpayment", externalId);

    private static Uri? QuickBooks(string kind, Uri? apiBase, string page, string externalId) =>
        kind == "QuickBooksOnline" && apiBase is { IsAbsoluteUri: true } && apiBase.Scheme == Uri.UriSchemeHttps
            && string.Equals(apiBase.Host, QuickBooksApiHost, StringComparison.OrdinalIgnoreCase)
            && externalId is { Length: > 0 and <= 32 } && externalId.All(char.IsAsciiDigit)
            ? new Uri($"{QuickBooksApp}{page}?txnId={externalId}")
            : null;
}
