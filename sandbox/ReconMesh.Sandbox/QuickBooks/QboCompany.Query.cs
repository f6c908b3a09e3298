using System.Globalization;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>What a query found: a count, or one page of rows (empty when nothing matched).</summary>
internal sealed record QboQueryResult(string Entity, int? TotalCount, int StartPosition, IReadOnlyList<QboRecord> Rows);

internal sealed partial class QboCompany
{
    /// <summary>
    /// Runs a query: <c>{}</c> when nothing matches, <c>{"totalCount":n}</c> for count(*), otherwise <c>startPosition</c>,
    /// <c>maxResults</c> (rows returned) and the rows under the entity name. Deleted entities never match; voided ones do;
    /// name lists (Customer, Account, Item) show only active rows unless the query filters on Active. Rows come in the
    /// ORDERBY order, then by numeric id. A condition on Id (= or IN), DocNumber (=) or MetaData.LastUpdatedTime
    /// (&gt;=, &gt;, =) reads only the records its index names; every condition is still checked on each of them.
    /// Call under the read lock.
    /// </summary>
    public QboQueryResult Query(QboQuery query)
    {
        if (!QboSchemas.Readable.TryGetValue(query.Entity, out var entity))
        {
            throw QboFaults.QueryInvalid($"Entity '{query.Entity}' is not supported by the QuickBooks simulator");
        }

        var queryable = QboSchemas.Queryable[entity];
        foreach (var path in query.Where.Select(w => w.Path).Concat(query.OrderBy.Select(o => o.Path)))
        {
            if (!queryable.Contains(path.Split('.')[0]))
            {
                throw QboFaults.QueryInvalid($"property '{path}' is not queryable");
            }
        }

        if (query.MaxResults > QboQueryParser.DefaultMaxResults)
        {
            throw QboFaults.QueryInvalid($"value {query.MaxResults} is too large. Max allowed value is: {QboQueryParser.DefaultMaxResults}");
        }

        if (query.MaxResults < 1)
        {
            throw QboFaults.QueryInvalid($"value {query.MaxResults} is too small. Min allowed value is: 1");
        }

        var table = _tables[entity];
        var conditions = query.Where.Select(c => new QboCompiledCondition(c, Clock)).ToList();
        var onlyActive = QboSchemas.IsNameList(entity) && !query.Where.Any(w => string.Equals(w.Path, "Active", StringComparison.OrdinalIgnoreCase));
        var candidates = Candidates(table, conditions);
        if (candidates.Satisfied is { } satisfied)
        {
            conditions.Remove(satisfied);
        }

        var rows = new List<QboRecord>();
        var counted = 0;
        foreach (var record in candidates.Records)
        {
            if (!record.Deleted && (!onlyActive || QboJson.GetBool(record.Doc, "Active") != false) && MatchesAll(conditions, record.Doc))
            {
                if (query.Count)
                {
                    counted++;
                }
                else
                {
                    rows.Add(record);
                }
            }
        }

        if (query.Count)
        {
            return new QboQueryResult(entity, counted, query.StartPosition, []);
        }

        List<QboRecord> sorted;
        if (candidates.InChangeOrder && table.IdsAscending && OrdersByChangeTime(query.OrderBy))
        {
            // The change-time index keeps (LastUpdatedTime, numeric id) order: what this ORDERBY asks for.
            sorted = rows;
        }
        else
        {
            if (candidates.InChangeOrder)
            {
                rows.Sort((a, b) => a.Position.CompareTo(b.Position));
            }

            sorted = InIdOrderAlready(table, query.OrderBy) ? rows : Sort(rows, query.OrderBy);
        }

        var start = Math.Min(query.StartPosition - 1, sorted.Count);
        var page = sorted.GetRange(start, Math.Min(query.MaxResults, sorted.Count - start));
        return new QboQueryResult(entity, null, query.StartPosition, page);
    }

    private static bool MatchesAll(List<QboCompiledCondition> conditions, JsonObject doc)
    {
        foreach (var condition in conditions)
        {
            if (!condition.Matches(doc))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The records a query has to look at, in the order they were added: those an index names for one of its
    /// conditions (a superset of the matches: every condition is checked afterwards, except one the index answers
    /// exactly), else all of them.
    /// </summary>
    private static CandidateSet Candidates(QboTable table, List<QboCompiledCondition> conditions)
    {
        foreach (var condition in conditions)
        {
            var (path, op) = (condition.Condition.Path, condition.Condition.Operator);
            // Ids that are plain numbers match a literal only by number, so the literal's number finds the record.
            if (table.IdsAscending && path.Equals("Id", StringComparison.OrdinalIgnoreCase) && op is "=" or "IN"
                && condition.Literals.All(l => l.Id is not null))
            {
                return new CandidateSet(InAddedOrder(condition.Literals
                    .Select(l => table.Find(l.Id!.Value.ToString(CultureInfo.InvariantCulture)))
                    .OfType<QboRecord>()
                    .Distinct()));
            }

            // A DocNumber equals a literal that is no date or time only as text, ignoring case: the index's key.
            if (path.Equals("DocNumber", StringComparison.OrdinalIgnoreCase) && op == "="
                && condition.Literals[0] is { Moment: null, Day: null } number)
            {
                return new CandidateSet(InAddedOrder(table.WithDocNumber(number.Text)));
            }
        }

        foreach (var condition in conditions)
        {
            if (condition.Condition.Path.Equals("MetaData.LastUpdatedTime", StringComparison.OrdinalIgnoreCase)
                && condition.Condition.Operator is ">=" or ">" or "=" && condition.Literals[0].Moment is { } since)
            {
                // Every stamped record the index gives for ">=" matches: the index read its time as the condition would.
                return condition.Condition.Operator == ">=" && table.Unstamped.Count == 0
                    ? new CandidateSet([.. table.ChangedSince(since)], condition, InChangeOrder: true)
                    : new CandidateSet(InAddedOrder(table.ChangedSince(since).Concat(table.Unstamped)));
            }
        }

        return new CandidateSet(table.InOrder);
    }

    private static bool OrdersByChangeTime(IReadOnlyList<QboOrdering> orderBy) =>
        orderBy.Count == 1 && !orderBy[0].Descending && orderBy[0].Path.Equals("MetaData.LastUpdatedTime", StringComparison.OrdinalIgnoreCase);

    /// <summary>What an index gave a query: the records, the condition it answered exactly, whether in change order.</summary>
    private sealed record CandidateSet(IReadOnlyList<QboRecord> Records, QboCompiledCondition? Satisfied = null, bool InChangeOrder = false);

    private static List<QboRecord> InAddedOrder(IEnumerable<QboRecord> records)
    {
        var list = records.ToList();
        list.Sort((a, b) => a.Position.CompareTo(b.Position));
        return list;
    }

    /// <summary>Added order is numeric id order when ids only grew; then no ORDERBY, or ORDERBY Id, needs no sort.</summary>
    private static bool InIdOrderAlready(QboTable table, IReadOnlyList<QboOrdering> orderBy) =>
        table.IdsAscending && (orderBy.Count == 0
            || (orderBy.Count == 1 && !orderBy[0].Descending && orderBy[0].Path.Equals("Id", StringComparison.OrdinalIgnoreCase)));

    /// <summary>ORDERBY keys, then numeric id, then added order: each row's keys are read once, before sorting.</summary>
    private static List<QboRecord> Sort(List<QboRecord> rows, IReadOnlyList<QboOrdering> orderBy)
    {
        var paths = orderBy.Select(o => (Segments: o.Path.Split('.'), Identifier: QboComparison.IsIdentifier(o.Path), o.Descending)).ToArray();
        var keyed = rows.Select((record, index) => (
            Record: record,
            Keys: paths.Select(p => new QboSortKey(record.Doc, p.Segments, p.Identifier)).ToArray(),
            NumericId: NumericId(record.Id),
            Index: index)).ToArray();
        Array.Sort(keyed, (a, b) =>
        {
            for (var i = 0; i < paths.Length; i++)
            {
                var order = QboSortKey.Compare(a.Keys[i], b.Keys[i]);
                if (order != 0)
                {
                    return paths[i].Descending ? -order : order;
                }
            }

            var byId = a.NumericId.CompareTo(b.NumericId);
            return byId != 0 ? byId : a.Index.CompareTo(b.Index);
        });
        return [.. keyed.Select(k => k.Record)];
    }
}
