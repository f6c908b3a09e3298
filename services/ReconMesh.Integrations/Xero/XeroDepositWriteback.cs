using System.Globalization;
using Microsoft.Extensions.Logging;
using ReconMesh.Contracts;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.Writeback;

namespace ReconMesh.Integrations.Xero;

/// <summary>
/// A payout as Xero books a payment platform's payout (docs/accounting.md, Xero): the fees the platform kept are a
/// spend from the clearing account (<see cref="ConnectionSettings.PaymentsAccountId"/>, a BANK account) to the fees
/// account, and the payout's amount a bank transfer from the clearing account to the deposits bank account, so the
/// clearing account is back to zero and the transfer matches the bank feed's payout. Xero has no idempotency key
/// ReconMesh relies on: each entry carries the payout's marker at the start of its reference and is looked for by it
/// before it is written, so a retry finds what the first attempt wrote.
/// </summary>
public sealed partial class XeroDepositWriteback(XeroClientFactory clients, ILogger<XeroDepositWriteback> logger) : IDepositWriteback
{
    /// <summary>The contact of the fees' spend: the payment platform (Xero needs a contact on a bank transaction).</summary>
    public const string PlatformContact = "ReconMesh payment platform";

    public IntegrationKind Kind => IntegrationKind.Xero;

    /// <summary>A reversal deletes the Xero payment, deposited or not: the payout that takes the money back needs no reinstatement.</summary>
    public bool ReinstatesDepositedReversals => false;

    public async Task<DepositOutcome> RecordAsync(ConnectionSettings connection, DepositRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(request);
        if (connection is not { DepositAccountId: { } bank, PaymentsAccountId: { } clearing, FeesAccountId: { } fees })
        {
            return new DepositOutcome.NeedsAttention("deposit-account-missing",
                $"{connection} records deposits but does not name its clearing, deposits and fees accounts (PaymentsAccountId, DepositAccountId, FeesAccountId).");
        }

        if (request.Amount <= 0m)
        {
            return new DepositOutcome.NeedsAttention("payout-not-positive",
                $"Payout {request.PayoutId} is {request.Amount}: Xero transfers only amounts above zero. Nothing was recorded.");
        }

        var api = clients.Create(connection);
        if (await PaymentsProblemAsync(api, request, cancellationToken) is { } problem)
        {
            return problem;
        }

        var marker = IdempotencyKeys.PayoutMarker(request.MeshPayoutId);
        var reference = XeroWriteRules.Reference(marker, $"platform payout {request.PayoutId}");
        var date = request.PaidOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var found = $"Reference.StartsWith(\"{marker}\")";
        if (request.Fees > 0m
            && !((await api.BankTransactionsAsync(found + " AND Status!=\"DELETED\"", cancellationToken))?.BankTransactions is { Count: > 0 }))
        {
            var absorbed = request.Fees - request.PassedOnFees;
            await api.CreateBankTransactionAsync(new XeroNewBankTransaction
            {
                Contact = new XeroContactName(PlatformContact), BankAccount = XeroAccountRef.Of(clearing), Date = date, Reference = reference,
                LineItems = [.. new[]
                {
                    new XeroNewLine($"Payment platform fees, payout {request.PayoutId}", 1m, absorbed, fees),
                    new XeroNewLine($"Fees on surcharged payments, payout {request.PayoutId}", 1m, request.PassedOnFees, connection.SurchargeAccountId ?? fees),
                }.Where(l => l.UnitAmount > 0m)],
            }, cancellationToken);
        }

        var transfer = (await api.BankTransfersAsync(found, cancellationToken))?.BankTransfers is [var earlier, ..] ? earlier
            : (await api.CreateBankTransferAsync(new XeroNewBankTransfer
            {
                FromBankAccount = XeroAccountRef.Of(clearing), ToBankAccount = XeroAccountRef.Of(bank), Amount = request.Amount, Date = date, Reference = reference,
            }, cancellationToken))?.BankTransfers is [var created, ..] ? created
            : throw new XeroException(System.Net.HttpStatusCode.OK, null, "Xero answered the bank transfer with no transfer");
        LogDeposited(logger, request.PayoutId, transfer.BankTransferId, transfer.Amount);
        return transfer.Amount == request.Amount
            ? new DepositOutcome.Deposited(transfer.BankTransferId, transfer.Amount)
            : new DepositOutcome.NeedsAttention("deposit-total-differs",
                $"Xero bank transfer {transfer.BankTransferId} is {transfer.Amount}, the payout {request.Amount}; check it by hand.");
    }

    /// <summary>A payment of the payout that Xero no longer holds as written (deleted, or of another amount), or null.</summary>
    private static async Task<DepositOutcome.NeedsAttention?> PaymentsProblemAsync(IXeroApi api, DepositRequest request, CancellationToken cancellationToken)
    {
        foreach (var payment in request.Payments)
        {
            var recorded = 0m;
            foreach (var externalId in payment.ExternalPaymentIds)
            {
                if (await XeroRecords.PaymentAsync(api, externalId, cancellationToken) is not { Status: not "DELETED" } xero)
                {
                    return new DepositOutcome.NeedsAttention("payment-deleted",
                        $"Xero payment {externalId} is deleted; the payout cannot settle it. Nothing was recorded.");
                }

                recorded += xero.Amount;
            }

            if (recorded != payment.Amount)
            {
                return new DepositOutcome.NeedsAttention("payment-amount-differs",
                    $"Payment {payment.MeshPaymentId} is {recorded} in Xero but {payment.Amount} in the payout. Nothing was recorded.");
            }
        }

        return null;
    }

    [LoggerMessage(LogLevel.Information, "Payout {PayoutId} recorded in Xero as bank transfer {TransferId} of {Amount}")]
    private static partial void LogDeposited(ILogger logger, string payoutId, string transferId, decimal amount);
}
