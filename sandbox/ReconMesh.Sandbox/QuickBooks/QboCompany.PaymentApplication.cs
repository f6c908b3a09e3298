using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>
/// Payments applied to invoices: the amount a payment applies per invoice, moving invoice balances when that changes,
/// detaching payments from an invoice that is voided or deleted, and the LinkedTxn entries that tie the two together.
/// </summary>
internal sealed partial class QboCompany
{
    /// <summary>
    /// Moves a payment's effect on invoices from <paramref name="before"/> to <paramref name="after"/> (amount per invoice id):
    /// each invoice whose applied amount changes gets its Balance adjusted, its LinkedTxn updated, a new SyncToken and
    /// LastUpdatedTime. Everything was validated beforehand, so this cannot fail half-way.
    /// </summary>
    private void Apply(string paymentId, Dictionary<string, decimal> before, Dictionary<string, decimal> after, string now)
    {
        var customers = new List<string?>();
        foreach (var invoiceId in before.Keys.Union(after.Keys, StringComparer.Ordinal).ToList())
        {
            var had = before.TryGetValue(invoiceId, out var old);
            var has = after.TryGetValue(invoiceId, out var current);
            if (had && has && old == current)
            {
                continue;
            }

            var invoice = Find(QboSchemas.Invoice, invoiceId);
            if (invoice is null || invoice.Deleted)
            {
                continue;
            }

            invoice.Doc["Balance"] = (QboJson.GetDecimal(invoice.Doc, "Balance") ?? 0m) + old - current;
            SetPaymentLink(invoice.Doc, paymentId, linked: has);
            Touch(invoice, now);
            Notify(invoice, QboChangeOperation.Update);
            customers.Add(QboJson.RefValue(invoice.Doc, "CustomerRef"));
        }

        RefreshCustomerBalances(customers);
    }

    /// <summary>Amount applied per invoice id by a payment document.</summary>
    private static Dictionary<string, decimal> Applications(JsonObject payment)
    {
        var applications = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (invoiceId, amount) in PaymentLines(payment))
        {
            applications[invoiceId] = applications.GetValueOrDefault(invoiceId) + amount;
        }

        return applications;
    }

    /// <summary>The (invoice id, amount) pairs of a payment document, or of a single payment line.</summary>
    private static IEnumerable<(string InvoiceId, decimal Amount)> PaymentLines(JsonObject paymentOrLine)
    {
        IEnumerable<JsonObject> lines = paymentOrLine["Line"] is JsonArray array ? array.OfType<JsonObject>() : [paymentOrLine];
        foreach (var line in lines)
        {
            if (line["LinkedTxn"] is not JsonArray links)
            {
                continue;
            }

            foreach (var link in links.OfType<JsonObject>())
            {
                if (string.Equals(QboJson.GetString(link, "TxnType"), QboSchemas.Invoice, StringComparison.OrdinalIgnoreCase)
                    && QboJson.GetString(link, "TxnId") is { } invoiceId)
                {
                    yield return (invoiceId, QboJson.GetDecimal(line, "Amount") ?? 0m);
                }
            }
        }
    }

    /// <summary>Unlinks every payment applied to the invoice: their lines to it go, their unapplied amount grows.</summary>
    private void DetachPayments(QboRecord invoice, string now)
    {
        foreach (var paymentId in LinkedIds(invoice.Doc, QboSchemas.Payment).ToList())
        {
            var payment = Find(QboSchemas.Payment, paymentId);
            if (payment is null || payment.Deleted || payment.Doc["Line"] is not JsonArray lines)
            {
                continue;
            }

            var kept = new JsonArray();
            foreach (var line in lines.OfType<JsonObject>())
            {
                if (!PaymentLines(line).Any(l => l.InvoiceId == invoice.Id))
                {
                    kept.Add(line.DeepClone());
                }
            }

            payment.Doc["Line"] = kept;
            var applied = PaymentLines(payment.Doc).Sum(l => l.Amount);
            payment.Doc["UnappliedAmt"] = (QboJson.GetDecimal(payment.Doc, "TotalAmt") ?? 0m) - applied;
            Touch(payment, now);
            Notify(payment, QboChangeOperation.Update);
        }

        SetPaymentLink(invoice.Doc, paymentId: null, linked: false);
        invoice.Changed();
    }

    /// <summary>Adds or removes <c>{TxnId, TxnType:"Payment"}</c> in an invoice's LinkedTxn (a null id with linked=false removes all).</summary>
    private static void SetPaymentLink(JsonObject invoice, string? paymentId, bool linked)
    {
        var links = invoice["LinkedTxn"] as JsonArray ?? [];
        var kept = new JsonArray();
        var present = false;
        foreach (var link in links.OfType<JsonObject>())
        {
            var isPayment = string.Equals(QboJson.GetString(link, "TxnType"), QboSchemas.Payment, StringComparison.OrdinalIgnoreCase);
            var matches = isPayment && (paymentId is null || QboJson.GetString(link, "TxnId") == paymentId);
            if (matches && !linked)
            {
                continue;
            }

            present |= matches;
            kept.Add(link.DeepClone());
        }

        if (linked && !present && paymentId is not null)
        {
            kept.Add(new JsonObject { ["TxnId"] = paymentId, ["TxnType"] = QboSchemas.Payment });
        }

        invoice["LinkedTxn"] = kept;
    }

    private static IEnumerable<string> LinkedIds(JsonObject doc, string txnType)
    {
        if (doc["LinkedTxn"] is not JsonArray links)
        {
            yield break;
        }

        foreach (var link in links.OfType<JsonObject>())
        {
            if (string.Equals(QboJson.GetString(link, "TxnType"), txnType, StringComparison.OrdinalIgnoreCase)
                && QboJson.GetString(link, "TxnId") is { } id)
            {
                yield return id;
            }
        }
    }
}
