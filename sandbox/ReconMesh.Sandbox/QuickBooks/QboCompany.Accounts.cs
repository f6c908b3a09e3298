using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>The chart of accounts: creating and changing accounts, and the account a reference names.</summary>
internal sealed partial class QboCompany
{
    /// <summary>AccountType (with spaces, as QuickBooks spells it) → Classification and the default AccountSubType.</summary>
    private static readonly Dictionary<string, (string Classification, string DefaultSubType)> AccountTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Bank"] = ("Asset", "CashOnHand"),
        ["Other Current Asset"] = ("Asset", "OtherCurrentAssets"),
        ["Fixed Asset"] = ("Asset", "FurnitureAndFixtures"),
        ["Other Asset"] = ("Asset", "OtherLongTermAssets"),
        ["Accounts Receivable"] = ("Asset", "AccountsReceivable"),
        ["Equity"] = ("Equity", "OpeningBalanceEquity"),
        ["Expense"] = ("Expense", "OtherMiscellaneousServiceCost"),
        ["Other Expense"] = ("Expense", "OtherMiscellaneousExpense"),
        ["Cost of Goods Sold"] = ("Expense", "SuppliesMaterialsCogs"),
        ["Accounts Payable"] = ("Liability", "AccountsPayable"),
        ["Credit Card"] = ("Liability", "CreditCard"),
        ["Long Term Liability"] = ("Liability", "OtherLongTermLiabilities"),
        ["Other Current Liability"] = ("Liability", "OtherCurrentLiabilities"),
        ["Income"] = ("Revenue", "ServiceFeeIncome"),
        ["Other Income"] = ("Revenue", "OtherMiscellaneousIncome"),
    };

    /// <summary>AccountSubTypes the simulator knows, with the AccountType they belong to (others are accepted as given).</summary>
    private static readonly Dictionary<string, string> KnownSubTypes = new(StringComparer.Ordinal)
    {
        ["CashOnHand"] = "Bank", ["Checking"] = "Bank", ["MoneyMarket"] = "Bank", ["RentsHeldInTrust"] = "Bank", ["Savings"] = "Bank",
        ["TrustAccounts"] = "Bank", ["CashAndCashEquivalents"] = "Bank", ["OtherEarMarkedBankAccounts"] = "Bank",
        ["UndepositedFunds"] = "Other Current Asset", ["Inventory"] = "Other Current Asset", ["PrepaidExpenses"] = "Other Current Asset",
        ["OtherCurrentAssets"] = "Other Current Asset", ["AllowanceForBadDebts"] = "Other Current Asset",
        ["AccountsReceivable"] = "Accounts Receivable", ["AccountsPayable"] = "Accounts Payable", ["CreditCard"] = "Credit Card",
        ["OpeningBalanceEquity"] = "Equity", ["RetainedEarnings"] = "Equity", ["OwnersEquity"] = "Equity",
        ["ServiceFeeIncome"] = "Income", ["SalesOfProductIncome"] = "Income", ["DiscountsRefundsGiven"] = "Income",
        ["UnappliedCashPaymentIncome"] = "Income", ["OtherPrimaryIncome"] = "Income",
        ["OtherMiscellaneousIncome"] = "Other Income", ["InterestEarned"] = "Other Income",
        ["BankCharges"] = "Expense", ["OtherMiscellaneousServiceCost"] = "Expense", ["OfficeGeneralAdministrativeExpenses"] = "Expense",
        ["AdvertisingPromotional"] = "Expense", ["LegalProfessionalFees"] = "Expense", ["Utilities"] = "Expense",
        ["OtherMiscellaneousExpense"] = "Other Expense", ["SuppliesMaterialsCogs"] = "Cost of Goods Sold",
    };

    private long _nextAccountId = 90;

    public QboRecord CreateAccount(JsonObject input)
    {
        var id = _nextAccountId.ToString(CultureInfo.InvariantCulture);
        var doc = BuildAccount(input, existing: null, id);
        _nextAccountId++;
        var now = Clock.NowStamp();
        doc["CurrentBalance"] = 0m;
        doc["CurrentBalanceWithSubAccounts"] = 0m;
        doc["Id"] = id;
        doc["SyncToken"] = "0";
        doc["MetaData"] = QboJson.MetaData(now, now);
        var record = new QboRecord(QboSchemas.Account, id, doc);
        Add(record);
        return record;
    }

    public QboRecord UpdateAccount(JsonObject input, bool sparse)
    {
        var record = RequireCurrent(QboSchemas.Account, input);
        var source = sparse ? Overlay(record.Doc, input) : input;
        var doc = BuildAccount(source, record, record.Id);
        var balance = QboJson.GetDecimal(record.Doc, "CurrentBalance") ?? 0m;
        if (!string.Equals(QboJson.GetString(doc, "Classification"), QboJson.GetString(record.Doc, "Classification"), StringComparison.Ordinal)
            && balance != 0m)
        {
            throw QboFaults.Business("The classification of an account with a balance cannot be changed.", "AccountType");
        }

        doc["CurrentBalance"] = balance;
        doc["CurrentBalanceWithSubAccounts"] = balance;
        doc["Id"] = record.Id;
        doc["SyncToken"] = record.Doc["SyncToken"]!.DeepClone();
        doc["MetaData"] = record.Doc["MetaData"]!.DeepClone();
        Touch(doc, Clock.NowStamp());
        record.Doc = doc;
        return record;
    }

    private JsonObject BuildAccount(JsonObject input, QboRecord? existing, string id)
    {
        var name = QboJson.GetString(input, "Name")?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            throw QboFaults.Required("Name");
        }

        if (name.Contains(':', StringComparison.Ordinal) || name.Contains('"', StringComparison.Ordinal))
        {
            throw QboFaults.InvalidProperty("Name: an account name cannot contain a colon (:) or a double quote (\")", "Name");
        }

        var duplicate = All(QboSchemas.Account).FirstOrDefault(a => a.Id != id
            && string.Equals(QboJson.GetString(a.Doc, "Name")?.Trim(), name, StringComparison.OrdinalIgnoreCase));
        if (duplicate is not null)
        {
            throw new QboFaultException(400, "6240", "Duplicate Name Exists Error",
                "The name supplied already exists. : Another account is already using this name. Id=" + duplicate.Id, "Name");
        }

        var subType = QboJson.GetString(input, "AccountSubType")?.Trim();
        var requestedType = QboJson.GetString(input, "AccountType")?.Trim();
        if (string.IsNullOrEmpty(requestedType) && subType is not null && KnownSubTypes.TryGetValue(subType, out var inferred))
        {
            requestedType = inferred;
        }

        if (string.IsNullOrEmpty(requestedType))
        {
            throw QboFaults.Required("AccountType");
        }

        // AccountType values are QuickBooks' display names with spaces ("Other Current Asset"); the enum-style
        // spelling without spaces ("OtherCurrentAsset") is refused as an invalid enumeration, as QuickBooks does.
        var type = AccountTypes.Keys.FirstOrDefault(k => string.Equals(k, requestedType, StringComparison.OrdinalIgnoreCase))
            ?? throw QboFaults.InvalidEnumeration("AccountType", requestedType);
        var (classification, defaultSubType) = AccountTypes[type];
        if (string.IsNullOrEmpty(subType))
        {
            subType = defaultSubType;
        }

        if (!PascalCase().IsMatch(subType))
        {
            throw QboFaults.InvalidEnumeration("AccountSubType", subType);
        }

        if (KnownSubTypes.TryGetValue(subType, out var owner) && !string.Equals(owner, type, StringComparison.Ordinal))
        {
            throw QboFaults.Business($"AccountSubType {subType} belongs to AccountType {owner}, not to {type}.", "AccountSubType");
        }

        if (existing is not null && QboJson.GetString(existing.Doc, "AccountSubType") == "UndepositedFunds" && subType != "UndepositedFunds")
        {
            throw QboFaults.Business("The Undeposited Funds account cannot be changed to another type.", "AccountSubType");
        }

        var active = QboJson.GetBool(input, "Active") ?? true;
        if (!active && existing is not null && (QboJson.GetDecimal(existing.Doc, "CurrentBalance") ?? 0m) != 0m)
        {
            throw QboFaults.Business("An account with a balance cannot be made inactive.", "Active");
        }

        var currency = QboJson.RefValue(input, "CurrencyRef") ?? (existing is null ? "USD" : CurrencyOf(existing.Doc));
        var doc = new JsonObject
        {
            ["Name"] = name,
            ["SubAccount"] = false,
            ["FullyQualifiedName"] = name,
            ["Active"] = active,
            ["Classification"] = classification,
            ["AccountType"] = type,
            ["AccountSubType"] = subType,
            ["CurrencyRef"] = Currency(currency),
            ["domain"] = "QBO",
            ["sparse"] = false,
        };
        CopyWritable(input, doc, QboSchemas.AccountSchema, "Name", "Active", "AccountType", "AccountSubType", "CurrencyRef", "SubAccount", "ParentRef");
        return doc;
    }

    /// <summary>The account a reference names: existing and active, else 2500.</summary>
    private QboRecord RequireAccount(JsonObject? reference, string element)
    {
        var accountId = reference is null ? null : QboJson.GetString(reference, "value")?.Trim();
        if (string.IsNullOrEmpty(accountId))
        {
            throw QboFaults.Required(element);
        }

        var account = Find(QboSchemas.Account, accountId);
        if (account is null || account.Deleted || QboJson.GetBool(account.Doc, "Active") == false)
        {
            throw QboFaults.InvalidReference(element, $"{element}={accountId}");
        }

        return account;
    }

    private static bool IsUndepositedFunds(QboRecord account) =>
        QboJson.GetString(account.Doc, "AccountSubType") == "UndepositedFunds";

    [GeneratedRegex("^[A-Z][A-Za-z0-9_]*$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex PascalCase();
}
