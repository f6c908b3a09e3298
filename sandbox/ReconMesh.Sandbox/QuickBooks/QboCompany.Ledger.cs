using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>
/// The ledger: what each transaction posts to accounts, kept in each account's running <c>CurrentBalance</c>.
/// <para>
/// Sign convention (as QuickBooks shows balances): every transaction posts debits and credits; an account whose
/// Classification is <c>Asset</c> or <c>Expense</c> is debit-normal (its CurrentBalance is debits minus credits), an
/// account classified <c>Liability</c>, <c>Equity</c> or <c>Revenue</c> is credit-normal (credits minus debits).
/// The postings the simulator keeps:
/// <list type="bullet">
/// <item>Payment: debit its DepositToAccountRef (Undeposited Funds by default) by TotalAmt. (The matching credit to
/// Accounts Receivable is not kept: the sandbox company has no A/R account.)</item>
/// <item>Deposit: debit DepositToAccountRef by TotalAmt; a linked Payment line credits the account the payment sits in
/// (Undeposited Funds); a direct DepositLineDetail line credits its AccountRef by its Amount, so a negative fee line
/// of -1.00 to an Expense account is a debit of 1.00 there and the expense account's CurrentBalance grows by 1.00.</item>
/// </list>
/// Balances are decimals, changed by exactly the posted amounts, and a balance change does not bump the account's
/// SyncToken (as with a customer's Balance).
/// </para>
/// </summary>
internal sealed partial class QboCompany
{
    /// <summary>
    /// Adds (<paramref name="sign"/> = 1) or takes back (-1) what a transaction document posts to accounts. Called
    /// with the old document before a change and the new one after, so balances always equal the sum of live postings.
    /// </summary>
    private void PostToLedger(string entity, JsonObject doc, int sign)
    {
        foreach (var (accountId, debit) in Postings(entity, doc))
        {
            if (Find(QboSchemas.Account, accountId) is not { } account)
            {
                continue;
            }

            var debitNormal = QboJson.GetString(account.Doc, "Classification") is "Asset" or "Expense";
            var change = sign * (debitNormal ? debit : -debit);
            var balance = (QboJson.GetDecimal(account.Doc, "CurrentBalance") ?? 0m) + change;
            account.Doc["CurrentBalance"] = balance;
            account.Doc["CurrentBalanceWithSubAccounts"] = balance;
            account.Changed();
        }
    }

    /// <summary>(account id, debit amount) pairs; a credit is a negative debit.</summary>
    private IEnumerable<(string AccountId, decimal Debit)> Postings(string entity, JsonObject doc)
    {
        if (entity == QboSchemas.Invoice)
        {
            // Each sales line is income to its item's account (accounts receivable is not kept as an account here).
            foreach (var line in (doc["Line"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (line[SalesLine] is JsonObject sales && IncomeAccountOf(QboJson.RefValue(sales, "ItemRef")) is { } income)
                {
                    yield return (income, -(QboJson.GetDecimal(line, "Amount") ?? 0m));
                }
            }

            yield break;
        }

        var total = QboJson.GetDecimal(doc, "TotalAmt") ?? 0m;
        var target = QboJson.RefValue(doc, "DepositToAccountRef");
        if (entity == QboSchemas.Payment)
        {
            if (target is not null)
            {
                yield return (target, total);
            }

            yield break;
        }

        if (entity != QboSchemas.Deposit)
        {
            yield break;
        }

        if (target is not null)
        {
            yield return (target, total);
        }

        foreach (var line in doc["Line"] as JsonArray ?? [])
        {
            if (line is not JsonObject obj)
            {
                continue;
            }

            var amount = QboJson.GetDecimal(obj, "Amount") ?? 0m;
            if (DepositedPaymentId(obj) is { } paymentId)
            {
                var payment = Find(QboSchemas.Payment, paymentId);
                var source = payment is null ? UndepositedFundsId : QboJson.RefValue(payment.Doc, "DepositToAccountRef") ?? UndepositedFundsId;
                yield return (source, -amount);
            }
            else if (obj["DepositLineDetail"] is JsonObject detail && QboJson.RefValue(detail, "AccountRef") is { } accountId)
            {
                yield return (accountId, -amount);
            }
        }
    }
}
