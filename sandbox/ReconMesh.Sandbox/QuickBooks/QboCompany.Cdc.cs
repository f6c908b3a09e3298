using System.Globalization;

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

    /// <summary>
    /// The objects of each entity changed at or after <paramref name="since"/>: active ones oldest change first, then
    /// deleted ones, at most <see cref="CdcMaxObjects"/> in all. Reads the change-time index, so the cost follows what
    /// changed, not the size of the company. Call under the read lock.
    /// </summary>
    public IReadOnlyList<(string Entity, IReadOnlyList<QboRecord> Rows)> ChangeDataCapture(IReadOnlyList<string> entities, DateTimeOffset since)
    {
        var budget = CdcMaxObjects;
        var responses = new List<(string, IReadOnlyList<QboRecord>)>();
        foreach (var entity in entities)
        {
            var rows = new List<QboRecord>();
            var deleted = new List<QboRecord>();
            foreach (var record in _tables[entity].ChangedSince(since))
            {
                if (rows.Count >= budget)
                {
                    break;
                }

                (record.Deleted ? deleted : rows).Add(record);
            }

            rows.AddRange(deleted.Take(budget - rows.Count));
            budget -= rows.Count;
            responses.Add((entity, rows));
        }

        return responses;
    }
}
