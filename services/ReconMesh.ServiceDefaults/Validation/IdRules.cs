using FluentValidation;

namespace ReconMesh.ServiceDefaults.Validation;

/// <summary><see cref="IdBounds"/> as FluentValidation rules, for the validators of every door that takes ids.</summary>
public static class IdRules
{
    /// <summary>Not empty, and <see cref="IdBounds.TenantIdRule"/>.</summary>
    public static IRuleBuilderOptions<T, TId> TenantId<T, TId>(this IRuleBuilder<T, TId> rule)
        where TId : class? =>
        rule.NotEmpty().Must(v => IdBounds.IsTenantId(v as string)).WithMessage($"'{{PropertyName}}' must be {IdBounds.TenantIdRule}.");

    /// <summary>Not empty, and <see cref="IdBounds.ExternalIdRule"/>.</summary>
    public static IRuleBuilderOptions<T, TId> ExternalId<T, TId>(this IRuleBuilder<T, TId> rule)
        where TId : class? =>
        rule.NotEmpty().Must(v => IdBounds.IsExternalId(v as string)).WithMessage($"'{{PropertyName}}' must be {IdBounds.ExternalIdRule}.");
}
