using System.Security.Cryptography;
using System.Text;
using ReconMesh.Contracts;
using ReconMesh.Integrations.RateLimiting;

namespace ReconMesh.Integrations.Connections;

/// <summary>
/// One tenant's link to one integration: where it is, how to authenticate, and the accounting choices made for it.
/// Credentials never appear in <see cref="ToString"/>, logs or traces.
/// </summary>
public sealed record ConnectionSettings
{
    public Guid Id { get; init; }

    public string TenantId { get; init; } = "";

    public IntegrationKind Kind { get; init; }

    /// <summary>The API's base address (e.g. https://quickbooks.api.intuit.com, or a sandbox).</summary>
    public Uri? BaseUrl { get; init; }

    /// <summary>The accounting organisation: the QuickBooks Online company id (realm), or the Xero tenant id.</summary>
    public string? RealmId { get; init; }

    /// <summary>The Xero organisation (<c>xero-tenant-id</c>), kept as <see cref="RealmId"/>; null for other kinds.</summary>
    public string? XeroTenantId => Kind == IntegrationKind.Xero ? RealmId : null;

    /// <summary>OAuth 2.0 access token for QuickBooks Online or Xero. Secret.</summary>
    public string? AccessToken { get; init; }

    /// <summary>ConnectWise PSA login company (the <c>companyId</c> of Basic authentication).</summary>
    public string? CompanyId { get; init; }

    /// <summary>ConnectWise PSA API member public key.</summary>
    public string? PublicKey { get; init; }

    /// <summary>ConnectWise PSA API member private key. Secret.</summary>
    public string? PrivateKey { get; init; }

    /// <summary>ConnectWise PSA <c>clientId</c> (the integration's registered GUID, sent on every call).</summary>
    public string? ClientId { get; init; }

    /// <summary>Autotask PSA API user (the <c>UserName</c> header, and <c>?user=</c> of the zone look-up).</summary>
    public string? UserName { get; init; }

    /// <summary>Autotask PSA API user's <c>Secret</c>. Secret.</summary>
    public string? Secret { get; init; }

    /// <summary>Autotask PSA tracking identifier of the integration (the <c>ApiIntegrationCode</c> header).</summary>
    public string? IntegrationCode { get; init; }

    /// <summary>
    /// Autotask PSA: the zone's REST address (e.g. https://webservices15.autotask.net/ATServicesRest/) when given; null
    /// has it looked up by user at <see cref="BaseUrl"/> (<c>GET atservicesrest/v1.0/zoneInformation?user=</c>).
    /// </summary>
    public Uri? ZoneUrl { get; init; }

    /// <summary>
    /// The currency of the connection's invoices when the integration's invoices carry none (Autotask without the
    /// multi-currency module); null means USD.
    /// </summary>
    public string? Currency { get; init; }

    /// <summary>Autotask PSA: the share (1-100%) of the database's 10,000 requests an hour ReconMesh claims; null means 20%.</summary>
    public int? BudgetSharePercent { get; init; }

    /// <summary>
    /// The bank account payouts are deposited into (QuickBooks Account id). Payments themselves always go to
    /// Undeposited Funds; a payout's deposit moves them here, so the bank feed matches one deposit to one payout.
    /// </summary>
    public string? DepositAccountId { get; init; }

    /// <summary>
    /// Xero: the account payments are recorded into (Code or AccountID), the clearing account of the payment platform:
    /// a BANK account, or one with payments enabled. A payout moves its balance to <see cref="DepositAccountId"/>.
    /// </summary>
    public string? PaymentsAccountId { get; init; }

    /// <summary>Record a deposit per payout (needs <see cref="DepositAccountId"/>); off leaves payments in Undeposited Funds.</summary>
    public bool RecordDeposits { get; init; }

    /// <summary>The expense account absorbed fees are booked to; empty means ReconMesh's own, created when first needed.</summary>
    public string? FeesAccountId { get; init; }

    /// <summary>
    /// The clearing account for reversals of deposited payments (credited by reinstatement invoices, debited by the
    /// payouts that net the reversals); empty means ReconMesh's own, created when first needed.
    /// </summary>
    public string? ReversalsAccountId { get; init; }

    /// <summary>
    /// For a PSA connection paired with an accounting system: the accounting connection (QuickBooks Online or Xero) that also
    /// receives each payment, and the deposits, for this PSA's invoices, matched by invoice number. The PSA stays the
    /// source of truth for invoices; the accounting connection's invoices are not synced in.
    /// </summary>
    public Guid? SecondaryConnectionId { get; init; }

    /// <summary>This connection is another connection's secondary: it receives payments and deposits, its invoices are not synced in.</summary>
    public bool IsSecondary { get; init; }

    /// <summary>The kinds a PSA can be paired with: the accounting systems, whose invoices are found by number.</summary>
    public static bool CanBeSecondary(IntegrationKind kind) => kind is IntegrationKind.QuickBooksOnline or IntegrationKind.Xero;

    /// <summary>
    /// The kinds that can be paired with accounting: the PSAs. ConnectWise writes the payment too; Autotask, which keeps
    /// no amounts, only its paid mark, and needs its pair for the money.
    /// </summary>
    public static bool CanBePrimary(IntegrationKind kind) => kind is IntegrationKind.ConnectWisePsa or IntegrationKind.AutotaskPsa;

    /// <summary>The income account surcharges are booked to; empty means ReconMesh's own, created when first needed.</summary>
    public string? SurchargeAccountId { get; init; }

    /// <summary>How often the integration is polled for changed invoices.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often every open invoice is checked against an integration that does not report deletions in its change
    /// feed (ConnectWise); callbacks that say "deleted" are checked at once.
    /// </summary>
    public TimeSpan ReconcileInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The integration account's limits, if they differ from the integration's published ones.</summary>
    public ApiLimits? Limits { get; init; }

    /// <summary>
    /// Tells one set of credentials from another without revealing them (a SHA-256 of them all, truncated): a connection
    /// paused because its credentials were rejected resumes by itself once they are replaced.
    /// </summary>
    public string CredentialsFingerprint()
    {
        var all = string.Join('\n', Kind, RealmId, AccessToken, CompanyId, PublicKey, PrivateKey, ClientId, UserName, Secret, IntegrationCode);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(all)))[..32];
    }

    /// <summary>
    /// The integration account the connection reaches (a QuickBooks company, a ConnectWise login company, on one server):
    /// a deployment connects each account once, so one tenant cannot take another's books.
    /// </summary>
    public string Account => AccountOf(Kind, BaseUrl, RealmId, CompanyId, UserName);

    /// <summary>
    /// An Autotask account is its API user: Autotask's user names are unique across all its databases (the zone look-up
    /// finds the database by user alone), and which database a user belongs to is not known before calling.
    /// </summary>
    public static string AccountOf(IntegrationKind kind, Uri? baseUrl, string? realmId, string? companyId, string? userName = null) =>
        $"{kind}|{baseUrl?.Host.ToLowerInvariant()}:{baseUrl?.Port}|" + kind switch
        {
            IntegrationKind.ConnectWisePsa => companyId?.ToLowerInvariant(),
            IntegrationKind.AutotaskPsa => userName?.ToLowerInvariant(),
            _ => realmId,
        };

    public override string ToString() => $"{Kind} connection {Id} of tenant {TenantId}";
}
