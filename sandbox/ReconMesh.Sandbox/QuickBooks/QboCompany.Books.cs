using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>What the company reports of itself: CompanyInfo on the API, and its books to the admin API.</summary>
internal sealed partial class QboCompany
{
    public JsonObject CompanyInfo() => new()
    {
        ["CompanyName"] = "Sandbox Company_US_" + RealmId[^Math.Min(4, RealmId.Length)..],
        ["LegalName"] = "Sandbox Company_US_" + RealmId[^Math.Min(4, RealmId.Length)..],
        ["CompanyAddr"] = new JsonObject { ["Id"] = "1", ["Line1"] = "123 Sierra Way", ["City"] = "San Pablo", ["CountrySubDivisionCode"] = "CA", ["PostalCode"] = "87999" },
        ["Country"] = "US",
        ["SupportedLanguages"] = "en",
        ["FiscalYearStartMonth"] = "January",
        ["domain"] = "QBO",
        ["sparse"] = false,
        ["Id"] = "1",
        ["SyncToken"] = "0",
        ["MetaData"] = QboJson.MetaData(CreatedAt, CreatedAt),
    };

    public QboBooks Books()
    {
        var invoices = All(QboSchemas.Invoice).OrderBy(r => NumericId(r.Id)).Select(r => new QboBookInvoice(
            r.Id,
            QboJson.GetString(r.Doc, "DocNumber"),
            QboJson.RefValue(r.Doc, "CustomerRef"),
            QboJson.GetDecimal(r.Doc, "TotalAmt") ?? 0m,
            QboJson.GetDecimal(r.Doc, "Balance") ?? 0m,
            r.Voided,
            r.Deleted,
            [.. LinkedIds(r.Doc, "Payment")])).ToList();
        var payments = All(QboSchemas.Payment).OrderBy(r => NumericId(r.Id)).Select(r => new QboBookPayment(
            r.Id,
            QboJson.RefValue(r.Doc, "CustomerRef"),
            QboJson.GetDecimal(r.Doc, "TotalAmt") ?? 0m,
            QboJson.GetDecimal(r.Doc, "UnappliedAmt") ?? 0m,
            r.Voided,
            r.Deleted,
            QboJson.GetString(r.Doc, "PrivateNote"),
            QboJson.GetString(r.Doc, "PaymentRefNum"),
            [.. PaymentLines(r.Doc).Select(l => new QboBookPaymentLine(l.InvoiceId, l.Amount))],
            DepositOf(r.Id))).ToList();
        var deposits = Live(QboSchemas.Deposit).OrderBy(r => NumericId(r.Id)).Select(r => new QboBookDeposit(
            r.Id,
            QboJson.RefValue(r.Doc, "DepositToAccountRef"),
            QboJson.GetDecimal(r.Doc, "TotalAmt") ?? 0m,
            [.. (r.Doc["Line"] as JsonArray ?? []).OfType<JsonObject>().Select(l => new QboBookDepositLine(
                QboJson.GetDecimal(l, "Amount") ?? 0m,
                DepositedPaymentId(l),
                l["DepositLineDetail"] is JsonObject detail ? QboJson.RefValue(detail, "AccountRef") : null))])).ToList();
        var accounts = All(QboSchemas.Account).OrderBy(r => NumericId(r.Id)).Select(r => new QboBookAccount(
            r.Id,
            QboJson.GetString(r.Doc, "Name"),
            QboJson.GetString(r.Doc, "AccountType"),
            QboJson.GetString(r.Doc, "AccountSubType"),
            QboJson.GetDecimal(r.Doc, "CurrentBalance") ?? 0m)).ToList();
        return new QboBooks(invoices, payments, RequestCount, ThrottledCount, deposits, accounts, StaleWritesRefused);
    }
}
