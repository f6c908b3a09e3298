using FluentValidation;
using Marten;
using ReconMesh.Contracts;
using ReconMesh.InvoiceIngest.Connections;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.Http;

namespace ReconMesh.InvoiceIngest.Api;

/// <summary>
/// What a tenant sends to connect an integration. Credentials are not sent: <see cref="CredentialsSecret"/> names the
/// secret (<c>ReconMesh:Secrets:{name}:AccessToken</c> for QuickBooks Online and Xero, <c>...:PrivateKey</c> for
/// ConnectWise PSA, <c>...:Secret</c> for Autotask PSA) that the deployment's secret store gives every service. An
/// Autotask connection's <see cref="BaseUrl"/> is where its zone is looked up by user (https://webservices.autotask.net),
/// unless <see cref="ZoneUrl"/> gives the zone. An <see cref="Id"/> chosen by the caller
/// makes the request safe to repeat. Checked by <see cref="AddConnectionRequestValidator"/>.
/// </summary>
public sealed record AddConnectionRequest(
    Guid? Id, IntegrationKind? Kind, string? BaseUrl, string? RealmId, string? CompanyId, string? PublicKey, string? ClientId,
    string? CredentialsSecret, string? DepositAccountId, bool? RecordDeposits, string? FeesAccountId, string? ReversalsAccountId,
    string? SurchargeAccountId, Guid? SecondaryConnectionId, bool? IsSecondary, TimeSpan? PollInterval, TimeSpan? ReconcileInterval,
    int? RequestsPerMinute, int? MaxConcurrent, string? XeroTenantId = null, string? PaymentsAccountId = null, string? UserName = null,
    string? IntegrationCode = null, string? ZoneUrl = null, string? Currency = null, int? BudgetSharePercent = null);

/// <summary>
/// <c>POST /tenants/{tenantId}/connections</c>: checks the request, that the named secret is there, that no other
/// connection reaches the same integration account, and any pairing; records the connection (a stream whose first
/// event is relayed as <see cref="Contracts.Connections.ConnectionAdded"/>, and a document every replica reads), and
/// starts its initial sync at once.
/// </summary>
public static class AddConnection
{
    public static async Task<IResult> HandleAsync(string tenantId, AddConnectionRequest request, IValidator<AddConnectionRequest> validator,
        ConnectionCatalog catalog, IConfiguration configuration, IDocumentStore store, IntegrationAddressPolicy addresses, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var validation = await validator.ValidateAsync(request, cancellationToken);
        if (!validation.IsValid)
        {
            return Results.ValidationProblem(validation.ToDictionary(), title: "The connection cannot be added as sent");
        }

        // Before anything else, and without a request to it: the address must be one the connection's kind may reach.
        if (await addresses.BaseUrlProblemAsync(request.Kind!.Value, new Uri(request.BaseUrl!, UriKind.Absolute), cancellationToken) is { } addressProblem)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["baseUrl"] = [addressProblem] },
                title: "The connection's address is not allowed");
        }

        if (request.Kind == IntegrationKind.AutotaskPsa && request.ZoneUrl is { } zone
            && await addresses.BaseUrlProblemAsync(IntegrationKind.AutotaskPsa, new Uri(zone, UriKind.Absolute), cancellationToken) is { } zoneProblem)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["zoneUrl"] = [zoneProblem] },
                title: "The connection's address is not allowed");
        }

        var registration = ToRegistration(tenantId, request, clock.GetUtcNow());
        if (Refusal(registration, catalog, configuration) is { } refusal)
        {
            return refusal;
        }

        await using var query = store.QuerySession();
        if (await catalog.FindAsync(registration.Id, cancellationToken) is null && catalog.Removed(registration.Id) is not null)
        {
            return Conflict($"Connection {registration.Id} was removed; a removed connection stays removed. Add it again with a new id.");
        }

        if (await catalog.FindAsync(registration.Id, cancellationToken) is { } existing)
        {
            // A repeated request (same id, same settings) gets the connection as it stands.
            return existing.TenantId == tenantId && catalog.Registered.FirstOrDefault(r => r.Id == registration.Id) is { } same
                && same with { AddedAt = registration.AddedAt } == registration
                    ? Results.Ok(await ConnectionsApi.LoadAsync(existing, query, cancellationToken))
                    : Conflict($"Connection {registration.Id} already exists, with other settings.");
        }

        if (catalog.All.FirstOrDefault(c => c.Account == registration.Account) is not null)
        {
            return AccountTaken(registration);
        }

        try
        {
            await using var session = store.LightweightSession();
            session.Events.StartStream(registration.Id, new ConnectionRecorded(registration));
            session.Insert(registration);
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is JasperFx.DocumentAlreadyExistsException or JasperFx.Events.ExistingStreamIdCollisionException
            || ex.InnerException is Npgsql.PostgresException { SqlState: "23505" } || ex is Npgsql.PostgresException { SqlState: "23505" })
        {
            // Another request (perhaps on another replica) was quicker with this id or this account.
            return Conflict($"Connection {registration.Id}, or another connection to the same {registration.Kind} account, was added at the same time.");
        }

        // This replica starts its initial sync at once (ConnectionSyncWorker); the others learn of it at their next refresh.
        catalog.Register(registration);
        return Results.Created($"/tenants/{tenantId}/connections/{registration.Id}",
            await ConnectionsApi.LoadAsync(catalog.Find(registration.Id)!, query, cancellationToken));
    }

    private static ConnectionRegistration ToRegistration(string tenantId, AddConnectionRequest request, DateTimeOffset now)
    {
        var kind = request.Kind!.Value;
        var baseUrl = new Uri(request.BaseUrl!, UriKind.Absolute);
        var companyId = kind == IntegrationKind.ConnectWisePsa ? request.CompanyId : null;
        var autotask = kind == IntegrationKind.AutotaskPsa;
        var userName = autotask ? request.UserName!.Trim() : null;
        var realmId = kind switch
        {
            IntegrationKind.QuickBooksOnline => request.RealmId,
            // One spelling of the organisation's GUID, so that one organisation is one account.
            IntegrationKind.Xero => Guid.Parse(request.XeroTenantId!).ToString("D"),
            _ => null,
        };
        return new ConnectionRegistration
        {
            Id = request.Id ?? Guid.CreateVersion7(now),
            TenantId = tenantId,
            Account = ConnectionSettings.AccountOf(kind, baseUrl, realmId, companyId, userName),
            Kind = kind,
            BaseUrl = baseUrl.ToString(),
            RealmId = realmId,
            CompanyId = companyId,
            PublicKey = kind == IntegrationKind.ConnectWisePsa ? request.PublicKey : null,
            ClientId = kind == IntegrationKind.ConnectWisePsa ? request.ClientId : null,
            UserName = userName,
            IntegrationCode = autotask ? request.IntegrationCode!.Trim() : null,
            ZoneUrl = autotask ? Blank(request.ZoneUrl) : null,
            Currency = autotask ? Blank(request.Currency)?.ToUpperInvariant() : null,
            BudgetSharePercent = autotask ? request.BudgetSharePercent : null,
            CredentialsSecret = request.CredentialsSecret!,
            DepositAccountId = Blank(request.DepositAccountId),
            PaymentsAccountId = kind == IntegrationKind.Xero ? Blank(request.PaymentsAccountId) : null,
            RecordDeposits = !string.IsNullOrWhiteSpace(request.DepositAccountId) && request.RecordDeposits != false,
            FeesAccountId = Blank(request.FeesAccountId),
            ReversalsAccountId = Blank(request.ReversalsAccountId),
            SurchargeAccountId = Blank(request.SurchargeAccountId),
            SecondaryConnectionId = request.SecondaryConnectionId,
            IsSecondary = request.IsSecondary == true,
            PollInterval = request.PollInterval ?? TimeSpan.FromSeconds(30),
            ReconcileInterval = request.ReconcileInterval ?? TimeSpan.FromHours(1),
            RequestsPerMinute = request.RequestsPerMinute,
            MaxConcurrent = request.MaxConcurrent,
            AddedAt = now,
        };
    }

    /// <summary>Why the deployment cannot take the connection (its secret is missing here, or its pairing is wrong), or null.</summary>
    private static IResult? Refusal(ConnectionRegistration registration, ConnectionCatalog catalog, IConfiguration configuration)
    {
        if (registration.SecretProblem(configuration) is { } secretProblem)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["credentialsSecret"] = [secretProblem] },
                title: "The connection's credentials are not available");
        }

        if (registration.SecondaryConnectionId is not { } secondaryId)
        {
            return null;
        }

        var secondary = catalog.Find(secondaryId);
        var problem = secondary is null || secondary.TenantId != registration.TenantId
            ? $"Tenant {registration.TenantId} has no connection {secondaryId}."
            : secondary is not { IsSecondary: true } || !ConnectionSettings.CanBeSecondary(secondary.Kind)
                ? $"Connection {secondaryId} must be a QuickBooksOnline or Xero connection added with isSecondary true (its invoices are then not synced in; the PSA's are)."
                : catalog.All.Any(c => c.SecondaryConnectionId == secondaryId)
                    ? $"Connection {secondaryId} is already another connection's secondary."
                    : null;
        return problem is null
            ? null
            : Results.ValidationProblem(new Dictionary<string, string[]> { ["secondaryConnectionId"] = [problem] }, title: "The pairing cannot be made");
    }

    private static IResult AccountTaken(ConnectionRegistration registration) =>
        Conflict(registration.Kind switch
        {
            IntegrationKind.QuickBooksOnline => $"QuickBooks company {registration.RealmId} at {registration.BaseUrl} is already connected in this deployment.",
            IntegrationKind.Xero => $"Xero organisation {registration.RealmId} at {registration.BaseUrl} is already connected in this deployment.",
            IntegrationKind.AutotaskPsa => $"Autotask API user {registration.UserName} is already connected in this deployment.",
            _ => $"ConnectWise company {registration.CompanyId} at {registration.BaseUrl} is already connected in this deployment.",
        });

    private static IResult Conflict(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The connection conflicts with an existing one", detail: detail);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
