using Microsoft.Extensions.Configuration;
using ReconMesh.Contracts;
using ReconMesh.Contracts.Connections;
using ReconMesh.Integrations.RateLimiting;

namespace ReconMesh.Integrations.Connections;

/// <summary>
/// A connection added through the HTTP API, as stored (a Marten document in each service's own schema) and as
/// announced on the bus (<see cref="ConnectionAdded"/>). It holds no secret: only the name of the secret that does
/// (<see cref="CredentialsSecret"/>), which every service resolves from its own configuration when it uses the
/// connection (<see cref="Resolve"/>), so credentials live in a secret store and can be rotated without touching it.
/// </summary>
public sealed record ConnectionRegistration
{
    /// <summary>Where secrets are looked up: <c>ReconMesh:Secrets:{name}:AccessToken</c>, <c>...:PrivateKey</c> and <c>...:Secret</c>.</summary>
    public const string SecretsSection = "ReconMesh:Secrets";

    public Guid Id { get; init; }

    public string TenantId { get; init; } = "";

    /// <summary><see cref="ConnectionSettings.Account"/>: unique among the connections added (a unique index in the store).</summary>
    public string Account { get; init; } = "";

    public IntegrationKind Kind { get; init; }

    public string BaseUrl { get; init; } = "";

    public string? RealmId { get; init; }

    public string? CompanyId { get; init; }

    public string? PublicKey { get; init; }

    public string? ClientId { get; init; }

    /// <summary>Autotask PSA: the API user (<see cref="ConnectionSettings.UserName"/>).</summary>
    public string? UserName { get; init; }

    /// <summary>Autotask PSA: the tracking identifier (<see cref="ConnectionSettings.IntegrationCode"/>).</summary>
    public string? IntegrationCode { get; init; }

    /// <summary>Autotask PSA: the zone's REST address when given (<see cref="ConnectionSettings.ZoneUrl"/>).</summary>
    public string? ZoneUrl { get; init; }

    /// <summary>Autotask PSA: the currency of its invoices (<see cref="ConnectionSettings.Currency"/>).</summary>
    public string? Currency { get; init; }

    /// <summary>Autotask PSA: the share of the database's hourly requests claimed (<see cref="ConnectionSettings.BudgetSharePercent"/>).</summary>
    public int? BudgetSharePercent { get; init; }

    /// <summary>The name of the secret holding the connection's access token (QuickBooks, Xero), private key (ConnectWise) or secret (Autotask).</summary>
    public string CredentialsSecret { get; init; } = "";

    public string? DepositAccountId { get; init; }

    /// <summary>Xero: the clearing account payments are recorded into (<see cref="ConnectionSettings.PaymentsAccountId"/>).</summary>
    public string? PaymentsAccountId { get; init; }

    public bool RecordDeposits { get; init; }

    public string? FeesAccountId { get; init; }

    public string? ReversalsAccountId { get; init; }

    public string? SurchargeAccountId { get; init; }

    public Guid? SecondaryConnectionId { get; init; }

    public bool IsSecondary { get; init; }

    public TimeSpan PollInterval { get; init; }

    public TimeSpan ReconcileInterval { get; init; }

    public int? RequestsPerMinute { get; init; }

    public int? MaxConcurrent { get; init; }

    public DateTimeOffset AddedAt { get; init; }

    /// <summary>
    /// When a tenant removed it (<c>DELETE</c>); null while it serves. A removed connection is kept, as the record of
    /// who removed it and when, but nothing is synced from it or written to it any more.
    /// </summary>
    public DateTimeOffset? RemovedAt { get; init; }

    /// <summary>Who removed it: the subject of the caller's token.</summary>
    public string? RemovedBy { get; init; }

    /// <summary>The same connection as it was added: without its removal, at <paramref name="addedAt"/> (to compare a repeated add).</summary>
    public ConnectionRegistration AsAdded(DateTimeOffset addedAt) => this with { AddedAt = addedAt, RemovedAt = null, RemovedBy = null };

    /// <summary>The configuration key of one part of the named secret.</summary>
    public static string SecretKey(string secret, string part) => $"{SecretsSection}:{secret}:{part}";

    /// <summary>The part of the secret this kind of connection needs: the OAuth access token, the API member's private key, or the API user's secret.</summary>
    public static string SecretPart(IntegrationKind kind) => kind switch
    {
        IntegrationKind.ConnectWisePsa => "PrivateKey",
        IntegrationKind.AutotaskPsa => "Secret",
        _ => "AccessToken",
    };

    /// <summary>
    /// Why the named secret cannot serve this connection, or null when it can. A secret belongs to one tenant
    /// (<c>ReconMesh:Secrets:{name}:TenantId</c>, set with it), so nobody who can add a connection, or publish a
    /// <see cref="ConnectionAdded"/> on the bus, can point another tenant's credentials at a server of their choosing.
    /// </summary>
    public string? SecretProblem(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var part = SecretPart(Kind);
        var key = SecretKey(CredentialsSecret, part);
        var owner = configuration[SecretKey(CredentialsSecret, "TenantId")];
        if (string.IsNullOrWhiteSpace(configuration[key]))
        {
            return $"This deployment has no secret '{CredentialsSecret}' holding the connection's {part}: give every service the setting {key} " +
                   $"(environment variable {EnvironmentName(key)}, or a file of that name in the settings directory), with {SecretKey(CredentialsSecret, "TenantId")}, first.";
        }

        return string.Equals(owner, TenantId, StringComparison.Ordinal)
            ? null
            : $"The secret '{CredentialsSecret}' is not assigned to tenant {TenantId}: its setting {SecretKey(CredentialsSecret, "TenantId")} must name the tenant it serves.";
    }

    private static string EnvironmentName(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    /// <summary>
    /// The settings to use the connection with, its secret read from <paramref name="configuration"/> now: none when it is
    /// not there or not this tenant's (<see cref="SecretProblem"/>), so the integration refuses the calls and says so.
    /// </summary>
    public ConnectionSettings Resolve(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var secret = SecretProblem(configuration) is null ? configuration[SecretKey(CredentialsSecret, SecretPart(Kind))] : null;
        return new ConnectionSettings
        {
            Id = Id,
            TenantId = TenantId,
            Kind = Kind,
            BaseUrl = new Uri(BaseUrl, UriKind.Absolute),
            RealmId = RealmId,
            AccessToken = Kind is IntegrationKind.QuickBooksOnline or IntegrationKind.Xero ? secret : null,
            CompanyId = CompanyId,
            PublicKey = PublicKey,
            PrivateKey = Kind == IntegrationKind.ConnectWisePsa ? secret : null,
            ClientId = ClientId,
            UserName = UserName,
            Secret = Kind == IntegrationKind.AutotaskPsa ? secret : null,
            IntegrationCode = IntegrationCode,
            ZoneUrl = Uri.TryCreate(ZoneUrl, UriKind.Absolute, out var zone) ? zone : null,
            Currency = Currency,
            BudgetSharePercent = BudgetSharePercent,
            DepositAccountId = DepositAccountId,
            PaymentsAccountId = PaymentsAccountId,
            RecordDeposits = RecordDeposits,
            FeesAccountId = FeesAccountId,
            ReversalsAccountId = ReversalsAccountId,
            SurchargeAccountId = SurchargeAccountId,
            SecondaryConnectionId = SecondaryConnectionId,
            IsSecondary = IsSecondary,
            PollInterval = PollInterval,
            ReconcileInterval = ReconcileInterval,
            Limits = RequestsPerMinute is { } rpm && MaxConcurrent is { } concurrent ? new ApiLimits(rpm, concurrent) : null,
        };
    }

    public ConnectionAdded ToMessage() =>
        new(Id, TenantId, Kind, BaseUrl, RealmId, CompanyId, PublicKey, ClientId, CredentialsSecret, DepositAccountId, RecordDeposits,
            FeesAccountId, ReversalsAccountId, SurchargeAccountId, SecondaryConnectionId, IsSecondary, PollInterval, ReconcileInterval,
            RequestsPerMinute, MaxConcurrent, AddedAt, PaymentsAccountId, UserName, IntegrationCode, ZoneUrl, Currency, BudgetSharePercent);

    public static ConnectionRegistration FromMessage(ConnectionAdded message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new ConnectionRegistration
        {
            Id = message.ConnectionId,
            TenantId = message.TenantId,
            Account = ConnectionSettings.AccountOf(message.Kind, new Uri(message.BaseUrl, UriKind.Absolute), message.RealmId, message.CompanyId, message.UserName),
            Kind = message.Kind,
            BaseUrl = message.BaseUrl,
            RealmId = message.RealmId,
            CompanyId = message.CompanyId,
            PublicKey = message.PublicKey,
            ClientId = message.ClientId,
            UserName = message.UserName,
            IntegrationCode = message.IntegrationCode,
            ZoneUrl = message.ZoneUrl,
            Currency = message.Currency,
            BudgetSharePercent = message.BudgetSharePercent,
            CredentialsSecret = message.CredentialsSecret,
            DepositAccountId = message.DepositAccountId,
            PaymentsAccountId = message.PaymentsAccountId,
            RecordDeposits = message.RecordDeposits,
            FeesAccountId = message.FeesAccountId,
            ReversalsAccountId = message.ReversalsAccountId,
            SurchargeAccountId = message.SurchargeAccountId,
            SecondaryConnectionId = message.SecondaryConnectionId,
            IsSecondary = message.IsSecondary,
            PollInterval = message.PollInterval,
            ReconcileInterval = message.ReconcileInterval,
            RequestsPerMinute = message.RequestsPerMinute,
            MaxConcurrent = message.MaxConcurrent,
            AddedAt = message.AddedAt,
        };
    }
}
