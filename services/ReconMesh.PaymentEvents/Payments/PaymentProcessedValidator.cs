using FluentValidation;
using ReconMesh.Contracts.Payments;
using ReconMesh.ServiceDefaults.Validation;

namespace ReconMesh.PaymentEvents.Payments;

/// <summary>What a PaymentProcessed must satisfy before ReconMesh will act on it.</summary>
public sealed class PaymentProcessedValidator : AbstractValidator<PaymentProcessed>
{
    public const int MaxAllocations = 500;

    public PaymentProcessedValidator()
    {
        RuleFor(p => p.PaymentId).ExternalId();
        RuleFor(p => p.TenantId).TenantId();
        RuleFor(p => p.Method).IsInEnum();
        RuleFor(p => p.Currency)
            .Must(Currencies.IsKnown).WithMessage(p => $"'{p.Currency}' is not a currency ReconMesh knows (ISO 4217 code, upper case).");
        RuleFor(p => p.Amount).GreaterThan(0m);
        RuleFor(p => p.Fee).GreaterThanOrEqualTo(0m);
        RuleFor(p => p.Surcharge).GreaterThanOrEqualTo(0m);
        RuleFor(p => p.ProcessedAt).NotEqual(default(DateTimeOffset));
        // Stop at the first failure: what follows a null or empty list, or a null allocation, would only throw.
        RuleFor(p => p.Allocations).Cascade(CascadeMode.Stop).NotEmpty()
            .Must(a => a.All(x => x is not null)).WithMessage("An allocation is null.")
            .Must(a => a.Count <= MaxAllocations).WithMessage($"A payment may cover at most {MaxAllocations} invoices.")
            .Must(a => a.Select(x => x.InvoiceId).Distinct().Count() == a.Count).WithMessage("An invoice appears more than once in Allocations.");
        RuleForEach(p => p.Allocations).ChildRules(a =>
        {
            a.RuleFor(x => x.InvoiceId).NotEqual(Guid.Empty);
            a.RuleFor(x => x.Amount).GreaterThan(0m);
        });

        When(p => Currencies.IsKnown(p.Currency), () =>
        {
            RuleFor(p => p.Amount).Must((p, amount) => Currencies.FitsMinorUnits(amount, p.Currency))
                .WithMessage(p => $"Amount {p.Amount} has more decimal places than {p.Currency} allows.");
            RuleFor(p => p.Fee).Must((p, fee) => Currencies.FitsMinorUnits(fee, p.Currency))
                .WithMessage(p => $"Fee {p.Fee} has more decimal places than {p.Currency} allows.");
            RuleFor(p => p.Surcharge).Must((p, surcharge) => Currencies.FitsMinorUnits(surcharge, p.Currency))
                .WithMessage(p => $"Surcharge {p.Surcharge} has more decimal places than {p.Currency} allows.");
            RuleForEach(p => p.Allocations).Must((p, a) => a is null || Currencies.FitsMinorUnits(a.Amount, p.Currency))
                .WithMessage(p => $"An allocation has more decimal places than {p.Currency} allows.");
        });
        RuleFor(p => p).Must(p => p.Allocations is null || p.Allocations.Any(a => a is null) || Allocated(p) == p.Amount)
            .WithName("Allocations")
            .WithMessage(p => $"Allocations add up to {Money.Describe(Allocated(p))}, not to the payment's Amount {p.Amount}.");
    }

    private static decimal? Allocated(PaymentProcessed p) => Money.Sum(p.Allocations.Select(a => a.Amount));
}
