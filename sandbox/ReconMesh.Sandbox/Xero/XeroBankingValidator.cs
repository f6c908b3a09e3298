using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.Xero;

/// <summary>
/// Xero's rules for bank transfers (FromBankAccount and ToBankAccount: two different active BANK accounts; Amount above
/// 0; a Date) and for SPEND/RECEIVE bank transactions (a Contact, a BANK BankAccount, 1 to 1000 LineItems each with a
/// Description, a Quantity of 0 or more, a UnitAmount above 0 and an active AccountCode; a Date).
/// </summary>
internal static class XeroBankingValidator
{
    private const int MaxLines = 1000;

    public static XeroCheck<XeroBankTransferDraft> CheckTransfer(XeroOrganisation organisation, JsonObject element)
    {
        var errors = new List<string>();
        var from = XeroElements.Account(organisation, element["FromBankAccount"] as JsonObject, XeroMessages.BankAccountMissing, bankOnly: true, errors);
        var to = XeroElements.Account(organisation, element["ToBankAccount"] as JsonObject, XeroMessages.BankAccountMissing, bankOnly: true, errors);
        if (from is not null && from == to)
        {
            errors.Add(XeroMessages.SameBankAccount);
        }

        var amount = XeroElements.Number(element, "Amount");
        if (amount is not > 0)
        {
            errors.Add(XeroMessages.AmountMustBePositive);
        }

        var date = XeroElements.Date(element, XeroMessages.DateMissing, errors);
        var reference = XeroElements.Reference(element, errors);
        return errors.Count > 0
            ? new XeroCheck<XeroBankTransferDraft>(null, errors)
            : new XeroCheck<XeroBankTransferDraft>(new XeroBankTransferDraft(from!, to!, XeroWire.Money(amount!.Value), date, reference), []);
    }

    public static XeroCheck<XeroBankTransactionDraft> CheckTransaction(XeroOrganisation organisation, JsonObject element)
    {
        var errors = new List<string>();
        var type = XeroElements.Text(element, "Type")?.Trim().ToUpperInvariant();
        if (type is not ("SPEND" or "RECEIVE"))
        {
            errors.Add(XeroMessages.BankTransactionType);
        }

        var contact = XeroElements.Resolve(element["Contact"] as JsonObject, "ContactID", "Name", organisation.Contacts.GetValueOrDefault,
            name => organisation.Contacts.Values.FirstOrDefault(c => c.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase)),
            XeroMessages.ContactMissing, XeroMessages.ContactNotFound, errors);
        var bank = XeroElements.Account(organisation, element["BankAccount"] as JsonObject, XeroMessages.BankAccountMissing, bankOnly: true, errors);
        var lines = Lines(organisation, element["LineItems"] as JsonArray, errors);
        var date = XeroElements.Date(element, XeroMessages.DateMissing, errors);
        var reference = XeroElements.Reference(element, errors);
        return errors.Count > 0
            ? new XeroCheck<XeroBankTransactionDraft>(null, errors)
            : new XeroCheck<XeroBankTransactionDraft>(
                new XeroBankTransactionDraft(type!, contact!, bank!, lines, date, reference, XeroElements.Flag(element, "IsReconciled")), []);
    }

    private static List<XeroLineItem> Lines(XeroOrganisation organisation, JsonArray? items, List<string> errors)
    {
        var lines = new List<XeroLineItem>();
        if (items is null || items.Count is 0 or > MaxLines || items.Any(i => i is not JsonObject))
        {
            errors.Add(XeroMessages.LineItemsMissing);
            return lines;
        }

        foreach (var item in items.Cast<JsonObject>())
        {
            var description = XeroElements.Text(item, "Description");
            var quantity = XeroElements.Number(item, "Quantity") ?? 1m;
            var unitAmount = XeroElements.Number(item, "UnitAmount");
            var code = XeroElements.Text(item, "AccountCode")?.Trim() ?? "";
            var account = code.Length is > 0 and <= 10 ? organisation.AccountByCode(code) : null;
            var problems = new[]
            {
                string.IsNullOrWhiteSpace(description) || description.Length > 4000 ? XeroMessages.DescriptionMissing : null,
                quantity < 0 ? XeroMessages.QuantityNegative : null,
                unitAmount is not > 0 ? XeroMessages.UnitAmountNotPositive : null,
                account is not { Status: "ACTIVE" } ? XeroMessages.InvalidAccountCode(code.Length <= 10 ? code : code[..10]) : null,
            }.OfType<string>().ToList();
            errors.AddRange(problems);
            if (problems.Count == 0)
            {
                lines.Add(new XeroLineItem(Guid.NewGuid(), description!, quantity, unitAmount!.Value, account!.Code));
            }
        }

        return lines;
    }
}
