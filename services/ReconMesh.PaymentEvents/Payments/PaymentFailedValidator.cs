using FluentValidation;
using ReconMesh.Contracts.Payments;
using ReconMesh.ServiceDefaults.Validation;

namespace ReconMesh.PaymentEvents.Payments;

public sealed class PaymentFailedValidator : AbstractValidator<PaymentFailed>
{
    public PaymentFailedValidator()
    {
        RuleFor(p => p.PaymentId).ExternalId();
        RuleFor(p => p.TenantId).TenantId();
        RuleFor(p => p.FailureCode).NotEmpty().MaximumLength(50);
        RuleFor(p => p.Reason).NotEmpty().MaximumLength(1000);
        RuleFor(p => p.FailedAt).NotEqual(default(DateTimeOffset));
    }
}
