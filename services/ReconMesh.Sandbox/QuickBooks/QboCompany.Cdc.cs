using System.Globalization;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>
/// Change Data Capture: <c>GET /cdc?entities=Invoice,Payment&amp;changedSince=…</c> returns every object of the
/// listed types whose LastUpdatedTime is at or after changedSince: active ones in full, deleted ones as
/// <c>{"status":"Deleted","domain":"QBO","Id","MetaData":{"LastUpdatedTime"}}</c> after the active ones.
/// </summary>
internal sealed partial class QboCompany
{
    /// <summary>QuickBooks looks back at most 30 days.</summary>
    public const int CdcMaxDays = 30;

    /// <summary>
    /// QuickBooks returns at most 1000 objects in one CDC response (Intuit's reference: "at most 1000 objects per
    /// response"; callers are told to query shorter windows when more changed). The simulator fills the response in
    /// the order the entities were requested, oldest change first, and stops at 1000 objects.
    /// </summary>
    public const int CdcMaxObjects = 1000;

    public static (IReadOnlyList<string> Entities, DateTimeOffset Since) ParseCdcRequest(string entities, string changedSince, QboClock clock)
    {
        if (string.IsNullOrWhiteSpace(entities))
        {
            throw QboFaults.Required("entities");
        }

        var names = new List<string>();
        foreach (var name in entities.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!QboSchemas.Readable.TryGetValue(name, out var entity))
            {
                throw QboFaults.InvalidProperty($"entities={name}: CDC is not supported for this entity in the QuickBooks simulator", "entities");
            }

            if (!names.Contains(entity, StringComparer.Ordinal))
            {
                names.Add(entity);
            }
        }

        if (names.Count == 0)
        {
            throw QboFaults.Required("entities");
        }

        if (string.IsNullOrWhiteSpace(changedSince))
        {
            throw QboFaults.Required("changedSince");
        }

        // An unencoded '+' of an offset arrives as a space.
        var text = changedSince.Trim().Replace(' ', '+');
        DateTimeOffset since;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            since = clock.StartOfDay(day);
        }
        else if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out since))
        {
            throw QboFaults.InvalidProperty($"changedSince={changedSince}: not a valid date or date-time", "changedSince");
        }

        if (since < clock.Now.AddDays(-CdcMaxDays))
        {
            throw new QboFaultException(400, "2010", "Request has invalid or unsupported property",
                $"Property Name:changedSince specified is unsupported or invalid: {changedSince} is more than {CdcMaxDays} days ago; CDC looks back at most {CdcMaxDays} days",
                "changedSince");
        }

        // MetaData times have whole seconds: compare from the start of the second asked for.
        since = new DateTimeOffset(since.Ticks - (since.Ticks % TimeSpan.TicksPerSecond), since.Offset);
        return (names, since);
    }

    public JsonObject ChangeDataCapture(IReadOnlyList<string> entities, DateTimeOffset since)
    {
        var budget = CdcMaxObjects;
        var responses = new JsonArray();
        foreach (var entity in entities)
        {
            var changed = All(entity)
                .Select(r => (Record: r, Updated: LastUpdated(r)))
                .Where(x => x.Updated >= since)
                .ToList();
            var active = changed.Where(x => !x.Record.Deleted).OrderBy(x => x.Updated).ThenBy(x => NumericId(x.Record.Id));
            var deleted = changed.Where(x => x.Record.Deleted).OrderBy(x => x.Updated).ThenBy(x => NumericId(x.Record.Id));
            var rows = new JsonArray();
            foreach (var (record, _) in active.Concat(deleted).Take(budget))
            {
                rows.Add(record.Deleted
                    ? new JsonObject
                    {
                        ["status"] = "Deleted",
                        ["domain"] = "QBO",
                        ["Id"] = record.Id,
                        ["MetaData"] = new JsonObject { ["LastUpdatedTime"] = QboJson.GetString((JsonObject)record.Doc["MetaData"]!, "LastUpdatedTime") },
                    }
                    : record.Doc.DeepClone());
            }

            budget -= rows.Count;
            responses.Add(rows.Count == 0
                ? new JsonObject()
                : new JsonObject { [entity] = rows, ["startPosition"] = 1, ["maxResults"] = rows.Count });
        }

        return new JsonObject
        {
            ["CDCResponse"] = new JsonArray(new JsonObject { ["QueryResponse"] = responses }),
            ["time"] = Clock.ResponseTime(),
        };
    }

    private static DateTimeOffset LastUpdated(QboRecord record) =>
        record.Doc["MetaData"] is JsonObject meta
        && DateTimeOffset.TryParse(QboJson.GetString(meta, "LastUpdatedTime"), CultureInfo.InvariantCulture, DateTimeStyles.None, out var updated)
            ? updated
            : DateTimeOffset.MinValue;
}
