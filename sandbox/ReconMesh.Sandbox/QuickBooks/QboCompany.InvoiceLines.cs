using System.Globalization;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>An invoice's lines: which detail types are accepted, how sales lines are checked, numbered and totalled.</summary>
internal sealed partial class QboCompany
{
    private const string SalesLine = "SalesItemLineDetail";
    private const string SubTotalLine = "SubTotalLineDetail";
    private const string DescriptionLine = "DescriptionOnly";

    /// <summary>
    /// The invoice's lines as QuickBooks stores them: sales and description lines numbered, line ids kept or assigned,
    /// item references checked and named, and a trailing SubTotalLineDetail line. Returns the lines and TotalAmt.
    /// </summary>
    private (JsonArray Lines, decimal Total) BuildInvoiceLines(JsonObject input)
    {
        if (input["Line"] is not JsonArray requested || requested.Count == 0)
        {
            throw QboFaults.Required("Line");
        }

        var lines = new List<JsonObject>();
        foreach (var node in requested)
        {
            if (node is not JsonObject line)
            {
                continue;
            }

            var detailType = QboJson.GetString(line, "DetailType")?.Trim();
            if (string.IsNullOrEmpty(detailType))
            {
                throw QboFaults.Required("Line.DetailType");
            }

            switch (detailType)
            {
                case SubTotalLine:
                    continue;
                case SalesLine:
                    lines.Add(BuildSalesLine(line));
                    break;
                case DescriptionLine:
                    var description = (JsonObject)line.DeepClone();
                    description["Amount"] ??= 0m;
                    description["DescriptionLineDetail"] ??= new JsonObject();
                    lines.Add(description);
                    break;
                case "DiscountLineDetail" or "GroupLineDetail":
                    throw new QboFaultException(400, "2010", "Request has invalid or unsupported property",
                        $"Property Name:Line.DetailType={detailType} is not supported by the QuickBooks simulator", "Line.DetailType");
                default:
                    throw QboFaults.InvalidEnumeration("Line.DetailType", detailType);
            }
        }

        if (!lines.Any(l => QboJson.GetString(l, "DetailType") == SalesLine))
        {
            throw QboFaults.Business("You must set a transaction amount.", "Line");
        }

        var usedIds = new HashSet<string>(StringComparer.Ordinal);
        var nextLineId = 1L + lines.Select(l => QboJson.GetString(l, "Id"))
            .Select(id => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0L)
            .DefaultIfEmpty(0L).Max();
        var total = 0m;
        var result = new JsonArray();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var lineId = QboJson.GetString(line, "Id")?.Trim();
            if (string.IsNullOrEmpty(lineId) || !usedIds.Add(lineId))
            {
                lineId = (nextLineId++).ToString(CultureInfo.InvariantCulture);
                usedIds.Add(lineId);
            }

            line["Id"] = lineId;
            line["LineNum"] = i + 1;
            if (QboJson.GetString(line, "DetailType") == SalesLine)
            {
                total += QboJson.GetDecimal(line, "Amount") ?? 0m;
            }

            result.Add(line);
        }

        result.Add(new JsonObject
        {
            ["DetailType"] = SubTotalLine,
            ["Amount"] = total,
            [SubTotalLine] = new JsonObject(),
        });
        return (result, total);
    }

    private JsonObject BuildSalesLine(JsonObject requested)
    {
        var line = (JsonObject)requested.DeepClone();
        var amount = QboJson.GetDecimal(line, "Amount") ?? throw QboFaults.Required("Line.Amount");
        var detail = line[SalesLine] as JsonObject ?? new JsonObject();
        line[SalesLine] = detail;

        var itemId = QboJson.RefValue(detail, "ItemRef") ?? "1";
        var item = Find(QboSchemas.Item, itemId);
        if (item is null || QboJson.GetBool(item.Doc, "Active") == false)
        {
            throw QboFaults.InvalidReference("Line.SalesItemLineDetail.ItemRef", $"ItemRef={itemId}");
        }

        detail["ItemRef"] = QboJson.Ref(item.Id, QboJson.GetString(item.Doc, "Name"));
        detail["TaxCodeRef"] ??= QboJson.Ref("NON");
        var qty = QboJson.GetDecimal(detail, "Qty");
        var unitPrice = QboJson.GetDecimal(detail, "UnitPrice");
        if (qty is { } q && unitPrice is { } p && decimal.Round(q * p, 2, MidpointRounding.AwayFromZero) != decimal.Round(amount, 2, MidpointRounding.AwayFromZero))
        {
            throw QboFaults.AmountCalculation("Line.Amount", amount);
        }

        return line;
    }

}
