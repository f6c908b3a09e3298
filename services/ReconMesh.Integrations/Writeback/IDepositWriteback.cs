using ReconMesh.Contracts;
using ReconMesh.Integrations.Connections;

namespace ReconMesh.Integrations.Writeback;

/// <summary>
/// Records a payout in an accounting integration as one deposit into the connection's bank account: each settled
/// payment moved out of Undeposited Funds, absorbed fees on their own negative line, the total equal to the payout.
/// Exactly once in effect; transient failures are thrown to be retried.
/// </summary>
public interface IDepositWriteback
{
    IntegrationKind Kind { get; }

    /// <summary>
    /// A payment reversed after its payout is put back on its customer's account by a reinstatement of its own
    /// (QuickBooks: its payment is part of a deposit and cannot change). False where the reversal takes the payment itself
    /// back (Xero deletes it; the clearing account then holds what a later payout takes back), so no reinstatement is expected.
    /// </summary>
    bool ReinstatesDepositedReversals => true;

    Task<DepositOutcome> RecordAsync(ConnectionSettings connection, DepositRequest request, CancellationToken cancellationToken);
}

/// <param name="MeshPayoutId">ReconMesh's payout id: the root of the idempotency key.</param>
/// <param name="PayoutId">The platform's payout id, shown in the deposit's memo.</param>
/// <param name="Currency">ISO 4217 code of the amounts.</param>
/// <param name="PaidOn">The deposit's date.</param>
/// <param name="Amount">What reached the bank; the deposit must total exactly this.</param>
/// <param name="Payments">The integration's payment records to move into the bank, with the amount each should have.</param>
/// <param name="Fees">The fees netted from the payout, of all its payments.</param>
/// <param name="Reversals">Earlier payments the payout takes back, each already reinstated on its customer's account.</param>
/// <param name="PassedOnFees">
/// The part of <see cref="Fees"/> on payments whose customers paid a surcharge: booked against the surcharge income,
/// not as the partner's expense.
/// </param>
public sealed record DepositRequest(
    Guid MeshPayoutId, string PayoutId, string Currency, DateOnly PaidOn, decimal Amount, IReadOnlyList<DepositedPayment> Payments, decimal Fees,
    IReadOnlyList<DepositedReversal> Reversals, decimal PassedOnFees = 0m);

/// <param name="PaymentId">The platform's payment id, shown on the deposit line.</param>
/// <param name="Amount">What the payout takes back for it.</param>
/// <param name="Kind">Refunded, charged back, or returned.</param>
public sealed record DepositedReversal(string PaymentId, decimal Amount, ReconMesh.Contracts.Payments.PaymentReversalKind Kind);

/// <param name="MeshPaymentId">ReconMesh's payment id.</param>
/// <param name="ExternalPaymentIds">The integration's records of that payment (QuickBooks: one Payment per customer).</param>
/// <param name="Amount">The payment's amount, which its records must add up to.</param>
public sealed record DepositedPayment(Guid MeshPaymentId, IReadOnlyList<string> ExternalPaymentIds, decimal Amount);

public abstract record DepositOutcome
{
    public sealed record Deposited(string ExternalDepositId, decimal Total) : DepositOutcome;

    public sealed record NeedsAttention(string ReasonCode, string Reason) : DepositOutcome;
}
