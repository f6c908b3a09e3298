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

        var accounts = new Dictionary<QuickBooksChartOfAccounts.AccountSpec, string>();
        foreach (var deduction in QuickBooksDepositLines.Deductions(request))
        {
            if (!accounts.TryGetValue(deduction.Account, out var accountId))
            {
                accountId = OwnAccountId(connection, deduction.Account)
                    ?? await QuickBooksChartOfAccounts.AccountAsync(api, realm, deduction.Account, cancellationToken);
                accounts[deduction.Account] = accountId;
            }

            lines.Add(new QboDepositLine
            {
                Amount = deduction.Amount,
                Description = deduction.Description,
                DetailType = "DepositLineDetail",
                DepositLineDetail = new QboDepositLineDetail { AccountRef = new QboRef(accountId, deduction.Account.Name) },
            });
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

    /// <summary>The account the connection names for a deduction's kind, if it names one.</summary>
    private static string? OwnAccountId(ConnectionSettings connection, QuickBooksChartOfAccounts.AccountSpec account) =>
        account == QuickBooksChartOfAccounts.SurchargeIncome ? connection.SurchargeAccountId
        : account == QuickBooksChartOfAccounts.Fees ? connection.FeesAccountId
        : connection.ReversalsAccountId;

    [LoggerMessage(LogLevel.Information, "Payout {PayoutId} recorded in QuickBooks as Deposit {DepositId} of {Total}")]
    private static partial void LogDeposited(ILogger logger, string payoutId, string? depositId, decimal total);
}
