using Microsoft.Extensions.Logging;
using ReconMesh.Contracts;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.Writeback;

namespace ReconMesh.Integrations.QuickBooks;

/// <summary>
/// A payout as one QuickBooks Deposit into the connection's bank account: one line linking each settled Payment
/// (TxnLineId "0", which moves it out of Undeposited Funds) and one negative line to the fees account for what the
/// platform kept, so the deposit equals the payout to the cent and the bank feed matches it. The fees account is
/// the connection's, or ReconMesh's own expense account, created the first time it is needed.
/// A <c>requestid</c> derived from the payout makes a retry return the first deposit instead of a second.
/// </summary>
public sealed partial class QuickBooksDepositWriteback(QuickBooksClientFactory clients, ILogger<QuickBooksDepositWriteback> logger) : IDepositWriteback
{
    public static readonly string FeesAccountName = QuickBooksChartOfAccounts.Fees.Name;

    public IntegrationKind Kind => IntegrationKind.QuickBooksOnline;

    public async Task<DepositOutcome> RecordAsync(ConnectionSettings connection, DepositRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(connection.DepositAccountId))
        {
            return new DepositOutcome.NeedsAttention("deposit-account-missing",
                $"{connection} records deposits but names no DepositAccountId (the bank account payouts arrive in).");
        }

        var api = clients.Create(connection);
        var realm = connection.RealmId!;
        var lines = new List<QboDepositLine>();
        foreach (var payment in request.Payments)
        {
            decimal recorded = 0m;
            foreach (var externalId in payment.ExternalPaymentIds)
            {
                var qbo = await api.GetPaymentAsync(realm, externalId, cancellationToken);
                if (qbo.Payment.TotalAmt == 0m)
                {
                    return new DepositOutcome.NeedsAttention("payment-voided",
                        $"QuickBooks Payment {externalId} is voided; the payout cannot deposit it. Nothing was deposited.");
                }

                recorded += qbo.Payment.TotalAmt;
                lines.Add(new QboDepositLine { Amount = qbo.Payment.TotalAmt, LinkedTxn = [new QboLinkedTxn(externalId, "Payment", "0")] });
            }

            if (recorded != payment.Amount)
            {
                return new DepositOutcome.NeedsAttention("payment-amount-differs",
                    $"Payment {payment.MeshPaymentId} is {recorded} in QuickBooks but {payment.Amount} in the payout. Nothing was deposited.");
            }
        }

        if (request.PassedOnFees > 0m)
        {
            // The customers paid these fees as surcharges: they come off the surcharge income, not the partner's expenses.
            var surchargeAccount = connection.SurchargeAccountId
                ?? await QuickBooksChartOfAccounts.AccountAsync(api, realm, QuickBooksChartOfAccounts.SurchargeIncome, cancellationToken);
            lines.Add(new QboDepositLine
            {
                Amount = -request.PassedOnFees,
                Description = "Fees on surcharged payments, paid by the customers",
                DetailType = "DepositLineDetail",
                DepositLineDetail = new QboDepositLineDetail { AccountRef = new QboRef(surchargeAccount, QuickBooksChartOfAccounts.SurchargeIncome.Name) },
            });
        }

        var absorbedFees = request.Fees - request.PassedOnFees;
        if (absorbedFees > 0m)
        {
            var feesAccount = connection.FeesAccountId ?? await QuickBooksChartOfAccounts.AccountAsync(api, realm, QuickBooksChartOfAccounts.Fees, cancellationToken);
            lines.Add(new QboDepositLine
            {
                Amount = -absorbedFees,
                DetailType = "DepositLineDetail",
                DepositLineDetail = new QboDepositLineDetail { AccountRef = new QboRef(feesAccount, FeesAccountName) },
            });
        }

        if (request.Reversals.Count > 0)
        {
            // Taken back from this payout: debits the clearing account the reinstatement invoices credited.
            var clearing = connection.ReversalsAccountId
                ?? await QuickBooksChartOfAccounts.AccountAsync(api, realm, QuickBooksChartOfAccounts.ReversalsClearing, cancellationToken);
            lines.AddRange(request.Reversals.Select(r => new QboDepositLine
            {
                Amount = -r.Amount,
                Description = $"Payment {r.PaymentId} {Words(r.Kind)}, taken back by the platform",
                DetailType = "DepositLineDetail",
                DepositLineDetail = new QboDepositLineDetail { AccountRef = new QboRef(clearing, QuickBooksChartOfAccounts.ReversalsClearing.Name) },
            }));
        }

        var deposit = new QboDeposit
        {
            DepositToAccountRef = new QboRef(connection.DepositAccountId),
            TxnDate = request.PaidOn,
            CurrencyRef = new QboRef(request.Currency),
            PrivateNote = $"{IdempotencyKeys.PayoutMarker(request.MeshPayoutId)} (platform payout {request.PayoutId})",
            Line = lines,
        };
        var created = (await api.CreateDepositAsync(realm, deposit, IdempotencyKeys.QuickBooksDepositRequestId(request.MeshPayoutId), cancellationToken)).Deposit;
        LogDeposited(logger, request.PayoutId, created.Id, created.TotalAmt);
        if (created.TotalAmt != request.Amount)
        {
            return new DepositOutcome.NeedsAttention("deposit-total-differs",
                $"QuickBooks Deposit {created.Id} totals {created.TotalAmt}, the payout {request.Amount}; check the deposit by hand.");
        }

        return new DepositOutcome.Deposited(created.Id!, created.TotalAmt);
    }

    private static string Words(ReconMesh.Contracts.Payments.PaymentReversalKind kind) => kind switch
    {
        ReconMesh.Contracts.Payments.PaymentReversalKind.Refunded => "refunded",
        ReconMesh.Contracts.Payments.PaymentReversalKind.ChargedBack => "charged back",
        _ => "returned",
    };

    [LoggerMessage(LogLevel.Information, "Payout {PayoutId} recorded in QuickBooks as Deposit {DepositId} of {Total}")]
    private static partial void LogDeposited(ILogger logger, string payoutId, string? depositId, decimal total);
}
