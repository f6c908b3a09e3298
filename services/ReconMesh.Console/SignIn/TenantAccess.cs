using System.Security.Claims;
using ReconMesh.ServiceDefaults.Security;
using ReconMesh.ServiceDefaults.Validation;

namespace ReconMesh.OperatorConsole.SignIn;

/// <summary>
/// What the signed-in person may see and do, read from their token's claims as the services read them: the tenants
/// named in the tenant claim (an admin may open any), and whether they may change anything (<c>write</c> or <c>admin</c>).
/// The console hides what a person may not do; the services refuse it regardless.
/// </summary>
public sealed class TenantAccess(ApiSecuritySettings auth)
{
    public IReadOnlyList<string> Tenants(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return [.. user.FindAll(auth.TenantClaim).Select(c => c.Value).Where(IdBounds.IsTenantId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    public static bool IsAdmin(ClaimsPrincipal user) => user?.IsInRole(AccessRoles.Admin) == true;

    /// <summary>A well-formed tenant id the person's token names (or any, for an admin).</summary>
    public bool MaySee(ClaimsPrincipal user, string? tenant) =>
        tenant is not null && IdBounds.IsTenantId(tenant) && (IsAdmin(user) || Tenants(user).Contains(tenant, StringComparer.Ordinal));

    public static bool MayChange(ClaimsPrincipal user) => user is not null && (user.IsInRole(AccessRoles.Write) || user.IsInRole(AccessRoles.Admin));

    /// <summary>Who the person is, for the services' records of who retried or dismissed (the token's subject).</summary>
    public static string Who(ClaimsPrincipal user) =>
        user?.FindFirst("name")?.Value ?? user?.FindFirst("preferred_username")?.Value ?? user?.FindFirst("sub")?.Value ?? "unknown";
}
