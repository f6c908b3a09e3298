using ReconMesh.Contracts.Payments;
using ReconMesh.Integrations.Writeback;
using static ReconMesh.Integrations.QuickBooks.QuickBooksChartOfAccounts;

namespace ReconMesh.Integrations.QuickBooks;

/// <summary>
/// What a payout's deposit takes off its payments, decided from the request alone (no call is made here): the fees
/// customers paid as surcharges (off the surcharge income), the fees the partner absorbs (an expense), and each
/// reversal the payout takes back (off the reversals clearing account), in that order, each a negative line. With one
/// line per settled payment of that payment's amount, the deposit adds up to the payout to the cent.
/// </summary>
public static class QuickBooksDepositLines
{
    /// <summary>A negative line of the deposit, booked to <paramref name="Account"/> (the connection's own, or ReconMesh's).</summary>
    public sealed record Deduction(AccountSpec Account, decimal Amount, string? Description);

    public static IReadOnlyList<Deduction> Deductions(DepositRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var lines = new List<Deduction>();
        if (request.PassedOnFees > 0m)
        {
            // The customers paid these fees as surcharges: they come off the surcharge income, not the partner's expenses.
            lines.Add(new(SurchargeIncome, -request.PassedOnFees, "Fees on surcharged payments, paid by the customers"));
        }

        var absorbedFees = request.Fees - request.PassedOnFees;
        if (absorbedFees > 0m)
        {
            lines.Add(new(Fees, -absorbedFees, null));
        }

        // Taken back from this payout: debits the clearing account the reinstatement invoices credited.
        lines.AddRange(request.Reversals.Select(r => new Deduction(ReversalsClearing, -r.Amount, $"Payment {r.PaymentId} {Words(r.Kind)}, taken back by the platform")));
        return lines;
    }

    private static string Words(PaymentReversalKind kind) => kind switch
    {
        PaymentReversalKind.Refunded => "refunded",
        PaymentReversalKind.ChargedBack => "charged back",
        _ => "returned",
    };
}
