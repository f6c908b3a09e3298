using MassTransit;

namespace ReconMesh.Contracts.Connections;

/// <summary>
/// A tenant connected an integration through InvoiceIngest's HTTP API; its initial sync has started. Carries no secret:
/// <paramref name="CredentialsSecret"/> names the secret (in each service's own configuration or secret store) that
/// holds the access token, private key or Autotask secret.
/// </summary>
/// <param name="ConnectionId">The connection's id, named by every invoice synced through it.</param>
/// <param name="TenantId">The partner that owns the connection.</param>
/// <param name="Kind">The integration.</param>
/// <param name="BaseUrl">The integration API's base address.</param>
/// <param name="RealmId">The accounting organisation: QuickBooks Online company id, or the Xero tenant id; null for other kinds.</param>
/// <param name="CompanyId">ConnectWise PSA login company; null for other kinds.</param>
/// <param name="PublicKey">ConnectWise PSA API member public key (not a secret); null for other kinds.</param>
/// <param name="ClientId">ConnectWise PSA integration clientId; null for other kinds.</param>
/// <param name="CredentialsSecret">The name of the secret: <c>ReconMesh:Secrets:{name}:AccessToken</c> or <c>...:PrivateKey</c>.</param>
/// <param name="DepositAccountId">The bank account payouts are deposited into, in the integration's ids; null records no deposits.</param>
/// <param name="RecordDeposits">Whether a deposit is recorded per payout.</param>
/// <param name="FeesAccountId">The expense account for absorbed fees; null means ReconMesh's own.</param>
/// <param name="ReversalsAccountId">The clearing account for reversals of deposited payments; null means ReconMesh's own.</param>
/// <param name="SurchargeAccountId">The income account for surcharges; null means ReconMesh's own.</param>
/// <param name="SecondaryConnectionId">For a PSA connection paired with an accounting connection: that connection's id.</param>
/// <param name="IsSecondary">This accounting connection receives payments and deposits for a PSA's invoices; its invoices are not synced in.</param>
/// <param name="PollInterval">How often the integration is polled for changes.</param>
/// <param name="ReconcileInterval">How often every open invoice is checked against an integration whose change feed omits deletions.</param>
/// <param name="RequestsPerMinute">The integration account's request limit per minute, if it differs from the published one.</param>
/// <param name="MaxConcurrent">The integration account's concurrent request limit, if it differs from the published one.</param>
/// <param name="AddedAt">When it was added.</param>
/// <param name="PaymentsAccountId">Xero: the clearing account payments are recorded into (Code or AccountID); null for other kinds.</param>
/// <param name="UserName">Autotask PSA: the API user (the <c>UserName</c> header; not a secret); null for other kinds.</param>
/// <param name="IntegrationCode">Autotask PSA: the integration's tracking identifier (the <c>ApiIntegrationCode</c> header); null for other kinds.</param>
/// <param name="ZoneUrl">Autotask PSA: the zone's REST address when given; null has it looked up by user at <paramref name="BaseUrl"/>.</param>
/// <param name="Currency">Autotask PSA: the currency its invoices are in (they carry none without the multi-currency module); null means USD.</param>
/// <param name="BudgetSharePercent">Autotask PSA: the share of the database's 10,000 requests an hour ReconMesh claims; null means 20%.</param>
[MessageUrn("urn:reconmesh:connections:connection-added:v1", false)]
[EntityName("reconmesh.connections.connection-added")]
public sealed record ConnectionAdded(
    Guid ConnectionId, string TenantId, IntegrationKind Kind, string BaseUrl, string? RealmId, string? CompanyId, string? PublicKey, string? ClientId,
    string CredentialsSecret, string? DepositAccountId, bool RecordDeposits, string? FeesAccountId, string? ReversalsAccountId, string? SurchargeAccountId,
    Guid? SecondaryConnectionId, bool IsSecondary, TimeSpan PollInterval, TimeSpan ReconcileInterval, int? RequestsPerMinute, int? MaxConcurrent,
    DateTimeOffset AddedAt, string? PaymentsAccountId = null, string? UserName = null, string? IntegrationCode = null, string? ZoneUrl = null,
    string? Currency = null, int? BudgetSharePercent = null);
