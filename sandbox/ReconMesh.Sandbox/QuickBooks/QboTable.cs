using System.Globalization;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>Where a record is filed in its table's indexes, as of its last change.</summary>
internal sealed record QboIndexEntry(string? Stamp, DateTimeOffset? Updated, long NumericId, string? CustomerId, string? DocNumber);

/// <summary>
/// The records of one entity type of one company, with the indexes that let a request touch only what it asks for:
/// by id, by change time (MetaData.LastUpdatedTime), by customer and by DocNumber. Records are never removed (a
/// deleted one keeps its id); every change reaches <see cref="Refile"/> through <see cref="QboRecord.Changed"/>.
/// Changed only under the company's write lock; read under its read lock.
/// </summary>
internal sealed class QboTable
{
    private readonly Dictionary<string, QboRecord> _byId = new(StringComparer.Ordinal);
    private readonly List<QboRecord> _inOrder = [];
    private readonly SortedSet<QboRecord> _byUpdated = new(ChangeOrder.Instance);
    private readonly HashSet<QboRecord> _unstamped = [];
    private readonly Dictionary<string, HashSet<QboRecord>> _byCustomer = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<QboRecord>> _byDocNumber = new(StringComparer.OrdinalIgnoreCase);
    private long _lastNumericId = long.MinValue;

    public QboTable(string entity) => Entity = entity;

    public string Entity { get; }

    /// <summary>Every record in the order added.</summary>
    public IReadOnlyList<QboRecord> InOrder => _inOrder;

    /// <summary>
    /// True while every id is a plain number written without leading zeros and each was added after smaller ones, so
    /// that <see cref="InOrder"/> is also numeric id order and an id literal finds its record by its number.
    /// </summary>
    public bool IdsAscending { get; private set; } = true;

    /// <summary>Records whose LastUpdatedTime is missing or not a time (none are made so; kept for safety).</summary>
    public IReadOnlyCollection<QboRecord> Unstamped => _unstamped;

    public QboRecord? Find(string id) => _byId.GetValueOrDefault(id);

    public void Add(QboRecord record)
    {
        _byId.Add(record.Id, record);
        record.Position = _inOrder.Count;
        _inOrder.Add(record);
        var numeric = QboCompany.NumericId(record.Id);
        if (numeric == long.MaxValue || numeric.ToString(CultureInfo.InvariantCulture) != record.Id || numeric <= _lastNumericId)
        {
            IdsAscending = false;
        }

        _lastNumericId = Math.Max(_lastNumericId, numeric);
        record.Observer = Refile;
        Refile(record);
    }

    /// <summary>Records changed at or after <paramref name="since"/>, oldest change first, then by numeric id.</summary>
    public IEnumerable<QboRecord> ChangedSince(DateTimeOffset since)
    {
        var from = Probe(since, long.MinValue);
        var to = Probe(DateTimeOffset.MaxValue, long.MaxValue);
        return _byUpdated.Count == 0 ? [] : _byUpdated.GetViewBetween(from, to);
    }

    /// <summary>Records (deleted ones too) whose CustomerRef is <paramref name="customerId"/>.</summary>
    public IReadOnlyCollection<QboRecord> OfCustomer(string customerId) =>
        _byCustomer.TryGetValue(customerId, out var records) ? records : [];

    /// <summary>Records (deleted ones too) whose DocNumber equals <paramref name="docNumber"/> ignoring case.</summary>
    public IReadOnlyCollection<QboRecord> WithDocNumber(string docNumber) =>
        _byDocNumber.TryGetValue(docNumber, out var records) ? records : [];

    private static QboRecord Probe(DateTimeOffset updated, long numericId) =>
        new("", "", new JsonObject()) { Indexed = new QboIndexEntry(null, updated, numericId, null, null) };

    private void Refile(QboRecord record)
    {
        var old = record.Indexed;
        var doc = record.Doc;
        var stamp = doc["MetaData"] is JsonObject meta ? QboJson.GetString(meta, "LastUpdatedTime") : null;
        var customer = QboJson.RefValue(doc, "CustomerRef");
        var docNumber = QboJson.GetString(doc, "DocNumber");
        if (old is not null && string.Equals(old.Stamp, stamp, StringComparison.Ordinal)
            && string.Equals(old.CustomerId, customer, StringComparison.Ordinal) && string.Equals(old.DocNumber, docNumber, StringComparison.Ordinal))
        {
            return;
        }

        // The sorted set orders by the entry the record carries: take it out under the old entry, file it under the new.
        if (old is not null)
        {
            if (old.Updated is null)
            {
                _unstamped.Remove(record);
            }
            else
            {
                _byUpdated.Remove(record);
            }

            Unfile(_byCustomer, old.CustomerId, record);
            Unfile(_byDocNumber, old.DocNumber, record);
        }

        DateTimeOffset? updated = stamp is not null && QboComparison.TryMoment(stamp, out var moment) ? moment : null;
        record.Indexed = new QboIndexEntry(stamp, updated, QboCompany.NumericId(record.Id), customer, docNumber);
        if (updated is null)
        {
            _unstamped.Add(record);
        }
        else
        {
            _byUpdated.Add(record);
        }

        File(_byCustomer, customer, record);
        File(_byDocNumber, docNumber, record);
    }

    private static void File(Dictionary<string, HashSet<QboRecord>> index, string? key, QboRecord record)
    {
        if (key is null)
        {
            return;
        }

        if (!index.TryGetValue(key, out var records))
        {
            index[key] = records = [];
        }

        records.Add(record);
    }

    private static void Unfile(Dictionary<string, HashSet<QboRecord>> index, string? key, QboRecord record)
    {
        if (key is not null && index.TryGetValue(key, out var records))
        {
            records.Remove(record);
        }
    }

    /// <summary>By change time, then numeric id, then id: a total order, as a sorted set needs.</summary>
    private sealed class ChangeOrder : IComparer<QboRecord>
    {
        public static readonly ChangeOrder Instance = new();

        public int Compare(QboRecord? x, QboRecord? y)
        {
            var a = x!.Indexed!;
            var b = y!.Indexed!;
            var order = Nullable.Compare(a.Updated, b.Updated);
            if (order == 0)
            {
                order = a.NumericId.CompareTo(b.NumericId);
            }

            return order != 0 ? order : string.CompareOrdinal(x.Id, y.Id);
        }
    }
}
