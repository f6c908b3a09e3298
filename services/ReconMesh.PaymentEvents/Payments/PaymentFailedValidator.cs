using FluentValidation;
using ReconMesh.Contracts.Payments;

namespace ReconMesh.PaymentEvents.Payments;

public sealed class PaymentFailedValidator : AbstractValidator<PaymentFailed>
{
    public PaymentFailedValidator()
    {
        RuleFor(p => p.PaymentId).NotEmpty().MaximumLength(100);
        RuleFor(p => p.TenantId).NotEmpty().MaximumLength(100);
        RuleFor(p => p.FailureCode).NotEmpty().MaximumLength(50);
        RuleFor(p => p.Reason).NotEmpty().MaximumLength(1000);
        RuleFor(p => p.FailedAt).NotEqual(default(DateTimeOffset));
    }
}
