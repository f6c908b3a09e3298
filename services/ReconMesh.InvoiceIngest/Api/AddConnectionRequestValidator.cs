using System.Text.RegularExpressions;
using FluentValidation;
using ReconMesh.Contracts;
using ReconMesh.ServiceDefaults.Validation;

namespace ReconMesh.InvoiceIngest.Api;

/// <summary>What an <see cref="AddConnectionRequest"/> must hold for its kind, before anything is looked up or recorded.</summary>
public sealed partial class AddConnectionRequestValidator : AbstractValidator<AddConnectionRequest>
{
    public AddConnectionRequestValidator()
    {
        RuleFor(r => r.Kind).NotNull()
            .Must(k => k is IntegrationKind.QuickBooksOnline or IntegrationKind.ConnectWisePsa or IntegrationKind.Xero or IntegrationKind.AutotaskPsa)
            .WithMessage("Kind must be QuickBooksOnline, ConnectWisePsa, Xero or AutotaskPsa (the integrations ReconMesh syncs).");
        RuleFor(r => r.BaseUrl).NotEmpty()
            .Must(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && string.IsNullOrEmpty(uri.UserInfo))
            .WithMessage("BaseUrl must be the API's absolute http(s) address, without credentials (e.g. https://quickbooks.api.intuit.com).");
        RuleFor(r => r.CredentialsSecret).NotEmpty().Must(s => SecretName().IsMatch(s ?? ""))
            .WithMessage("CredentialsSecret must name a secret: letters, digits, '_', '-' or '.', at most 100.");
        When(r => r.Kind == IntegrationKind.QuickBooksOnline, () =>
        {
            RuleFor(r => r.RealmId).NotEmpty().Must(r => r is { Length: <= 32 } && r.All(char.IsAsciiDigit))
                .WithMessage("RealmId must be the QuickBooks company id (digits).");
            RuleFor(r => r.SecondaryConnectionId).Null().WithMessage("Only a ConnectWisePsa or AutotaskPsa connection names a secondary connection.");
        });
        When(r => r.Kind == IntegrationKind.ConnectWisePsa, () =>
        {
            RuleFor(r => r.CompanyId).NotEmpty().MaximumLength(100).Must(c => c?.Contains('+', StringComparison.Ordinal) != true)
                .WithMessage("CompanyId must be the PSA login company, without '+'.");
            RuleFor(r => r.PublicKey).NotEmpty().MaximumLength(100).Must(k => k?.Contains(':', StringComparison.Ordinal) != true)
                .WithMessage("PublicKey must be the API member's public key, without ':'.");
            RuleFor(r => r.ClientId).NotEmpty().Must(c => Guid.TryParse(c, out _)).WithMessage("ClientId must be the integration's clientId GUID.");
            RuleFor(r => r.IsSecondary).NotEqual(true).WithMessage("Only a QuickBooksOnline or Xero connection can be another connection's secondary.");
        });
        When(r => r.Kind == IntegrationKind.Xero, () =>
        {
            RuleFor(r => r.XeroTenantId).Must(t => Guid.TryParse(t, out _))
                .WithMessage("XeroTenantId must be the organisation's tenant id (a GUID, as Xero's connections endpoint lists it).");
            RuleFor(r => r.PaymentsAccountId).Must(a => !string.IsNullOrWhiteSpace(a))
                .WithMessage("PaymentsAccountId must name the clearing account payments are recorded into (its Code or AccountID): " +
                             "a BANK account, or one with payments enabled.");
            RuleFor(r => r.FeesAccountId).Must(f => !string.IsNullOrWhiteSpace(f)).When(r => !string.IsNullOrWhiteSpace(r.DepositAccountId) && r.RecordDeposits != false)
                .WithMessage("Deposits to Xero need FeesAccountId, the expense account fees are spent to (ReconMesh creates no accounts in Xero).");
            RuleFor(r => r.SecondaryConnectionId).Null().WithMessage("Only a ConnectWisePsa or AutotaskPsa connection names a secondary connection.");
        });
        When(r => r.Kind == IntegrationKind.AutotaskPsa, () =>
        {
            RuleFor(r => r.UserName).NotEmpty().MaximumLength(100).Must(u => u is null || (u.Trim().Length > 0 && !u.Any(char.IsControl)))
                .WithMessage("UserName must be the Autotask API user (as the zone look-up and the UserName header take it), at most 100 characters.");
            RuleFor(r => r.IntegrationCode).NotEmpty().MaximumLength(100).Must(c => c is null || (c.Trim().Length > 0 && !c.Any(char.IsControl)))
                .WithMessage("IntegrationCode must be the integration's tracking identifier (the ApiIntegrationCode header), at most 100 characters.");
            RuleFor(r => r.ZoneUrl)
                .Must(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && string.IsNullOrEmpty(uri.UserInfo))
                .When(r => r.ZoneUrl is not null)
                .WithMessage("ZoneUrl must be the zone's absolute http(s) REST address (e.g. https://webservices15.autotask.net/ATServicesRest/), or absent to look the zone up by user.");
            RuleFor(r => r.Currency).Must(c => Currencies.IsKnown(c!.Trim().ToUpperInvariant())).When(r => r.Currency is not null)
                .WithMessage("Currency must be an ISO 4217 code ReconMesh knows: the currency of the Autotask invoices (USD when absent).");
            RuleFor(r => r.BudgetSharePercent).InclusiveBetween(1, 100).When(r => r.BudgetSharePercent is not null)
                .WithMessage("BudgetSharePercent must be 1 to 100: the share of the database's 10,000 requests an hour ReconMesh claims (20 when absent).");
            RuleFor(r => r.IsSecondary).NotEqual(true).WithMessage("Only a QuickBooksOnline or Xero connection can be another connection's secondary.");
        });
        When(r => r.Kind != IntegrationKind.AutotaskPsa, () =>
        {
            RuleFor(r => r.UserName).Null().WithMessage("Only an AutotaskPsa connection names a UserName.");
            RuleFor(r => r.IntegrationCode).Null().WithMessage("Only an AutotaskPsa connection names an IntegrationCode.");
            RuleFor(r => r.ZoneUrl).Null().WithMessage("Only an AutotaskPsa connection names a ZoneUrl.");
            RuleFor(r => r.Currency).Null().WithMessage("Only an AutotaskPsa connection names a Currency (the others' invoices carry theirs).");
            RuleFor(r => r.BudgetSharePercent).Null().WithMessage("Only an AutotaskPsa connection claims a BudgetSharePercent.");
        });
        RuleFor(r => r.XeroTenantId).Null().When(r => r.Kind != IntegrationKind.Xero).WithMessage("Only a Xero connection names a XeroTenantId.");
        RuleFor(r => r.DepositAccountId).NotEmpty().When(r => r.RecordDeposits == true)
            .WithMessage("RecordDeposits needs DepositAccountId, the bank account payouts are deposited into.");
        RuleFor(r => r.PollInterval).InclusiveBetween(TimeSpan.FromMilliseconds(100), TimeSpan.FromDays(1)).When(r => r.PollInterval is not null);
        RuleFor(r => r.ReconcileInterval).InclusiveBetween(TimeSpan.FromSeconds(1), TimeSpan.FromDays(7)).When(r => r.ReconcileInterval is not null);
        // 0 and 0: ReconMesh sets no limit of its own (an integration without one, or a deployment's own instance).
        RuleFor(r => r.RequestsPerMinute).InclusiveBetween(0, 100_000).When(r => r.RequestsPerMinute is not null);
        RuleFor(r => r.MaxConcurrent).InclusiveBetween(0, 1_000).When(r => r.MaxConcurrent is not null);
        RuleFor(r => r).Must(r => (r.RequestsPerMinute == 0) == (r.MaxConcurrent == 0)).OverridePropertyName("MaxConcurrent")
            .When(r => r.RequestsPerMinute is not null && r.MaxConcurrent is not null)
            .WithMessage("No limit is RequestsPerMinute 0 and MaxConcurrent 0 together.");
        RuleFor(r => r).Must(r => (r.RequestsPerMinute is null) == (r.MaxConcurrent is null)).OverridePropertyName("MaxConcurrent")
            .WithMessage("RequestsPerMinute and MaxConcurrent are given together, or neither (the integration's published limits).");
        RuleFor(r => r.DepositAccountId).MaximumLength(64);
        RuleFor(r => r.FeesAccountId).MaximumLength(64);
        RuleFor(r => r.ReversalsAccountId).MaximumLength(64);
        RuleFor(r => r.SurchargeAccountId).MaximumLength(64);
        RuleFor(r => r.PaymentsAccountId).MaximumLength(64);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")]
    private static partial Regex SecretName();
}
