using FluentValidation;
using ReconMesh.Contracts.Payouts;
using ReconMesh.ServiceDefaults.Validation;

namespace ReconMesh.PaymentEvents.Payouts;

/// <summary>A payout must add up to the cent: the bank amount is the payments' amounts less their fees.</summary>
public sealed class PayoutPaidValidator : AbstractValidator<PayoutPaid>
{
    public const int MaxPayments = 5000;

    public PayoutPaidValidator()
    {
        RuleFor(p => p.PayoutId).ExternalId();
        RuleFor(p => p.TenantId).TenantId();
        RuleFor(p => p.Currency)
            .Must(Currencies.IsKnown).WithMessage(p => $"'{p.Currency}' is not a currency ReconMesh knows (ISO 4217 code, upper case).");
        RuleFor(p => p.Amount).GreaterThan(0m);
        RuleFor(p => p.PaidAt).NotEqual(default(DateTimeOffset));
        // Stop at the first failure: what follows a null or empty list, or a null entry, would only throw.
        RuleFor(p => p.Payments).Cascade(CascadeMode.Stop).NotEmpty()
            .Must(a => a.All(x => x is not null)).WithMessage("A payment of the payout is null.")
            .Must(a => a.Count <= MaxPayments).WithMessage($"A payout may settle at most {MaxPayments} payments.")
            .Must(a => a.Select(x => x.PaymentId).Distinct(StringComparer.Ordinal).Count() == a.Count)
            .WithMessage("A payment appears more than once in the payout.");
        RuleForEach(p => p.Payments).ChildRules(x =>
        {
            x.RuleFor(y => y.PaymentId).ExternalId();
            x.RuleFor(y => y.Amount).GreaterThan(0m);
            x.RuleFor(y => y.Fee).GreaterThanOrEqualTo(0m);
            x.RuleFor(y => y.Surcharge).GreaterThanOrEqualTo(0m);
            x.RuleFor(y => y).Must(y => y.Fee <= y.Amount + y.Surcharge).WithName("Fee").WithMessage("A payment's fee cannot exceed what it paid.");
        });
        When(p => Currencies.IsKnown(p.Currency), () =>
        {
            RuleFor(p => p.Amount).Must((p, a) => Currencies.FitsMinorUnits(a, p.Currency))
                .WithMessage(p => $"Amount {p.Amount} has more decimal places than {p.Currency} allows.");
            RuleForEach(p => p.Payments).Must((p, x) => x is null || (Currencies.FitsMinorUnits(x.Amount, p.Currency) && Currencies.FitsMinorUnits(x.Fee, p.Currency)
                    && Currencies.FitsMinorUnits(x.Surcharge, p.Currency)))
                .WithMessage(p => $"A payment's amount, fee or surcharge has more decimal places than {p.Currency} allows.");
        });
        RuleFor(p => p.Reversals).Cascade(CascadeMode.Stop)
            .Must(r => r is null || r.All(x => x is not null)).WithMessage("A reversal of the payout is null.")
            .Must(r => r is null || r.Count <= MaxPayments).WithMessage($"A payout may take back at most {MaxPayments} payments.")
            .Must(r => r is null || r.Select(x => x.PaymentId).Distinct(StringComparer.Ordinal).Count() == r.Count)
            .WithMessage("A payment is taken back more than once in the payout.");
        RuleForEach(p => p.Reversals).ChildRules(x =>
        {
            x.RuleFor(y => y.PaymentId).ExternalId();
            x.RuleFor(y => y.Amount).GreaterThan(0m);
            x.RuleFor(y => y.Kind).IsInEnum();
        });
        When(p => Currencies.IsKnown(p.Currency), () =>
            RuleForEach(p => p.Reversals).Must((p, x) => x is null || Currencies.FitsMinorUnits(x.Amount, p.Currency))
                .WithMessage(p => $"A reversal's amount has more decimal places than {p.Currency} allows."));
        RuleFor(p => p).Must(p => p.Payments is null || p.Payments.Any(x => x is null) || (p.Reversals?.Any(x => x is null) ?? false) || Net(p) == p.Amount)
            .WithName("Amount")
            .WithMessage(p => $"The payments less their fees{(p.Reversals is { Count: > 0 } ? " and the reversals" : "")} add up to {Money.Describe(Net(p))}, " +
                $"not to the payout's Amount {p.Amount}.");
    }

    /// <summary>The payments and surcharges less their fees and the reversals; null when that is more than a decimal holds.</summary>
    private static decimal? Net(PayoutPaid p) =>
        Money.Sum(p.Payments.Select(x => x.Amount).Concat(p.Payments.Select(x => x.Surcharge)).Concat(p.Payments.Select(x => -x.Fee))
            .Concat((p.Reversals ?? []).Select(x => -x.Amount)));
}
