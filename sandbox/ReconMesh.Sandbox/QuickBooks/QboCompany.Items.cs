using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>
/// Items (products and services): created as QuickBooks does for the types a service business uses, Service and
/// NonInventory. A sales line's amount is income to the item's <c>IncomeAccountRef</c>, which must name an existing
/// account; names are unique among items. Inventory items (quantity tracking, asset and expense accounts) are not
/// simulated and are refused.
/// </summary>
internal sealed partial class QboCompany
{
    private static readonly string[] ItemTypes = ["Service", "NonInventory"];

    private long _nextItemId = 50;

    public QboRecord CreateItem(JsonObject input)
    {
        var name = QboJson.GetString(input, "Name")?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            throw QboFaults.Required("Name");
        }

        if (name.Contains(':', StringComparison.Ordinal))
        {
            throw QboFaults.InvalidProperty("Name: an item name cannot contain a colon (:)", "Name");
        }

        var duplicate = All(QboSchemas.Item).FirstOrDefault(i =>
            string.Equals(QboJson.GetString(i.Doc, "Name")?.Trim(), name, StringComparison.OrdinalIgnoreCase));
        if (duplicate is not null)
        {
            throw new QboFaultException(400, "6240", "Duplicate Name Exists Error",
                "The name supplied already exists. : Another product or service is already using this name. Id=" + duplicate.Id, "Name");
        }

        var requestedType = QboJson.GetString(input, "Type")?.Trim() ?? throw QboFaults.Required("Type");
        var type = ItemTypes.FirstOrDefault(t => string.Equals(t, requestedType, StringComparison.OrdinalIgnoreCase))
            ?? throw QboFaults.InvalidEnumeration("Type", requestedType);

        var incomeAccountId = QboJson.RefValue(input, "IncomeAccountRef") ?? throw QboFaults.Required("IncomeAccountRef");
        var account = Find(QboSchemas.Account, incomeAccountId);
        if (account is null || QboJson.GetBool(account.Doc, "Active") == false)
        {
            throw QboFaults.InvalidReference("IncomeAccountRef", $"AccountRef={incomeAccountId}");
        }

        var id = NextId(ref _nextItemId);
        var now = Clock.NowStamp();
        var doc = new JsonObject
        {
            ["Name"] = name,
            ["FullyQualifiedName"] = name,
            ["Active"] = QboJson.GetBool(input, "Active") ?? true,
            ["Type"] = type,
            ["Taxable"] = QboJson.GetBool(input, "Taxable") ?? false,
            ["UnitPrice"] = QboJson.GetDecimal(input, "UnitPrice") ?? 0m,
            ["TrackQtyOnHand"] = false,
            ["IncomeAccountRef"] = QboJson.Ref(account.Id, QboJson.GetString(account.Doc, "Name")),
            ["domain"] = "QBO",
            ["sparse"] = false,
            ["Id"] = id,
            ["SyncToken"] = "0",
            ["MetaData"] = QboJson.MetaData(now, now),
        };
        if (QboJson.GetString(input, "Description") is { } description)
        {
            doc["Description"] = description;
        }

        var record = new QboRecord(QboSchemas.Item, id, doc);
        Add(record);
        return record;
    }

    /// <summary>The income account a sales line of this item credits; null when the item or its account is unknown.</summary>
    private string? IncomeAccountOf(string? itemId) =>
        itemId is not null && Find(QboSchemas.Item, itemId) is { } item ? QboJson.RefValue(item.Doc, "IncomeAccountRef") : null;
}
