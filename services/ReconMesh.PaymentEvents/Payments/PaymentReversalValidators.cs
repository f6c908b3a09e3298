using FluentValidation;
using ReconMesh.Contracts.Payments;
using ReconMesh.ServiceDefaults.Validation;

namespace ReconMesh.PaymentEvents.Payments;

/// <summary>What a PaymentRefunded must satisfy on its own; that it matches the payment is the intake's check.</summary>
public sealed class PaymentRefundedValidator : AbstractValidator<PaymentRefunded>
{
    public PaymentRefundedValidator()
    {
        RuleFor(p => p.PaymentId).ExternalId();
        RuleFor(p => p.TenantId).TenantId();
        RuleFor(p => p.RefundId).ExternalId();
        RuleFor(p => p.Reason).NotNull().MaximumLength(1000);
        RuleFor(p => p.RefundedAt).NotEqual(default(DateTimeOffset));
        ReversalRules.Amount(this, p => p.Currency, p => p.Amount);
    }
}

/// <summary>What a PaymentChargedBack must satisfy on its own; that it matches the payment is the intake's check.</summary>
public sealed class PaymentChargedBackValidator : AbstractValidator<PaymentChargedBack>
{
    public PaymentChargedBackValidator()
    {
        RuleFor(p => p.PaymentId).ExternalId();
        RuleFor(p => p.TenantId).TenantId();
        RuleFor(p => p.ChargebackId).ExternalId();
        RuleFor(p => p.ReasonCode).NotEmpty().MaximumLength(50);
        RuleFor(p => p.Reason).NotEmpty().MaximumLength(1000);
        RuleFor(p => p.ChargedBackAt).NotEqual(default(DateTimeOffset));
        ReversalRules.Amount(this, p => p.Currency, p => p.Amount);
    }
}

internal static class ReversalRules
{
    /// <summary>A known currency, and a positive amount that fits its minor units.</summary>
    public static void Amount<T>(AbstractValidator<T> rules, Func<T, string> currency, Func<T, decimal> amount)
    {
        rules.RuleFor(p => currency(p)).Must(Currencies.IsKnown).WithName("Currency")
            .WithMessage(p => $"'{currency(p)}' is not a currency ReconMesh knows (ISO 4217 code, upper case).");
        rules.RuleFor(p => amount(p)).GreaterThan(0m).WithName("Amount");
        rules.RuleFor(p => p).Must(p => !Currencies.IsKnown(currency(p)) || Currencies.FitsMinorUnits(amount(p), currency(p))).WithName("Amount")
            .WithMessage(p => $"Amount {amount(p)} has more decimal places than {currency(p)} allows.");
    }
}
