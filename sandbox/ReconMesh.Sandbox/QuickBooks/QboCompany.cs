using System.Globalization;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>
/// One simulated QuickBooks company (realm): its entities, id sequences, requestid replay cache and limits.
/// Every write holds the company's write lock (<see cref="Writing"/>) and every read its read lock (<see cref="Reading"/>),
/// so each request sees and leaves a consistent ledger (no write is lost, no SyncToken is handed out twice) while
/// reads, which change nothing, run side by side.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "A company lives as long as the simulator; disposing its lock while a request may still hold it would only trade a leak that cannot happen for a crash.")]
internal sealed partial class QboCompany
{
    private static readonly Dictionary<string, string> CurrencyNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["USD"] = "United States Dollar",
        ["CAD"] = "Canadian Dollar",
        ["EUR"] = "Euro",
        ["GBP"] = "British Pound Sterling",
        ["AUD"] = "Australian Dollar",
        ["NZD"] = "New Zealand Dollar",
        ["INR"] = "Indian Rupee",
        ["MXN"] = "Mexican Peso",
        ["JPY"] = "Japanese Yen",
        ["CHF"] = "Swiss Franc",
    };

    private readonly Dictionary<string, QboTable> _tables = new[]
    {
        QboSchemas.Invoice, QboSchemas.Customer, QboSchemas.Payment, QboSchemas.Account, QboSchemas.Item, QboSchemas.Deposit,
    }.ToDictionary(entity => entity, entity => new QboTable(entity), StringComparer.Ordinal);

    private readonly ReaderWriterLockSlim _gate = new(LockRecursionPolicy.NoRecursion);

    private long _nextCustomerId = 1;
    private long _nextTxnId = 101;
    private long _lastDocNumber = 1000;
    private long _nextAddressId = 1;
    private long _requestCount;
    private long _throttledCount;
    private long _staleWritesRefused;

    public QboCompany(string realmId, string accessToken, QboClock clock, QboThrottle throttle, QboReplayCache replays)
    {
        Replays = replays;
        RealmId = realmId;
        AccessToken = accessToken;
        Clock = clock;
        Throttle = throttle;
        CreatedAt = clock.NowStamp();
        AddDefaultAccountsAndItems();
    }

    public string RealmId { get; }

    public string AccessToken { get; }

    public QboClock Clock { get; }

    public QboThrottle Throttle { get; }

    public string CreatedAt { get; }

    /// <summary>First response per <c>requestid</c>, for a limited number and time; only touched under the write lock.</summary>
    public QboReplayCache Replays { get; }

    /// <summary>Held (shared) around a request that only reads the ledger; dispose to release.</summary>
    public Held Reading()
    {
        _gate.EnterReadLock();
        return new Held(_gate, write: false);
    }

    /// <summary>Held (alone) around every change of the ledger, and of what goes with it; dispose to release.</summary>
    public Held Writing()
    {
        _gate.EnterWriteLock();
        return new Held(_gate, write: true);
    }

    public long RequestCount => Interlocked.Read(ref _requestCount);

    public long ThrottledCount => Interlocked.Read(ref _throttledCount);

    public void CountRequest() => Interlocked.Increment(ref _requestCount);

    public void CountThrottled() => Interlocked.Increment(ref _throttledCount);

    /// <summary>Writes refused with 5010 because the SyncToken they named was no longer current.</summary>
    public long StaleWritesRefused => Interlocked.Read(ref _staleWritesRefused);

    /// <summary>
    /// Edits a person makes in the QuickBooks UI while a client holds a record: per entity, how many of the next
    /// updates, voids or deletes (that name the current SyncToken) find the record changed just before them.
    /// Only touched under the write lock.
    /// </summary>
    private readonly Dictionary<string, int> _concurrentEdits = new(StringComparer.Ordinal);

    /// <summary>Arms <paramref name="count"/> concurrent edits for <paramref name="entity"/>; returns how many are pending (call under the write lock).</summary>
    public int ArmConcurrentEdits(string entity, int count)
    {
        var pending = _concurrentEdits.GetValueOrDefault(entity) + count;
        _concurrentEdits[entity] = pending;
        return pending;
    }

    public IEnumerable<QboRecord> All(string entity) => _tables[entity].InOrder;

    public IEnumerable<QboRecord> Live(string entity) => _tables[entity].InOrder.Where(r => !r.Deleted);

    public QboRecord? Find(string entity, string? id) => id is null ? null : _tables[entity].Find(id.Trim());

    /// <summary>GET <c>/{entity}/{id}</c>: the current record, or 610 when absent or deleted.</summary>
    public QboRecord Read(string entity, string id)
    {
        var record = Find(entity, id);
        if (record is null || record.Deleted)
        {
            throw QboFaults.NotFound(record?.Deleted == true);
        }

        return record;
    }

    public static long NumericId(string id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : long.MaxValue;

    private static string NextId(ref long sequence) => (sequence++).ToString(CultureInfo.InvariantCulture);

    private void Add(QboRecord record) => _tables[record.Entity].Add(record);

    /// <summary>A write changed a stored record in place: next SyncToken, new LastUpdatedTime, indexes told.</summary>
    private static void Touch(QboRecord record, string now)
    {
        Touch(record.Doc, now);
        record.Changed();
    }

    /// <summary>A write changed the entity: next SyncToken, new LastUpdatedTime.</summary>
    private static void Touch(JsonObject doc, string now)
    {
        doc["SyncToken"] = (QboJson.GetSyncToken(doc) + 1).ToString(CultureInfo.InvariantCulture);
        if (doc["MetaData"] is JsonObject meta)
        {
            meta["LastUpdatedTime"] = now;
        }
        else
        {
            doc["MetaData"] = QboJson.MetaData(now, now);
        }
    }

    /// <summary>The record an update, delete or void names, checked for existence and for a current SyncToken.</summary>
    private QboRecord RequireCurrent(string entity, JsonObject input)
    {
        var id = QboJson.GetString(input, "Id")?.Trim();
        if (string.IsNullOrEmpty(id))
        {
            throw QboFaults.Required("Id");
        }

        var token = QboJson.GetString(input, "SyncToken")?.Trim();
        if (string.IsNullOrEmpty(token))
        {
            throw QboFaults.Required("SyncToken");
        }

        var record = Find(entity, id);
        if (record is null || record.Deleted)
        {
            throw QboFaults.NotFound(record?.Deleted == true);
        }

        if (_concurrentEdits.GetValueOrDefault(entity) > 0 && string.Equals(token, QboJson.GetString(record.Doc, "SyncToken"), StringComparison.Ordinal))
        {
            // Someone saved the record in the UI a moment before this request: it moves on, and the request is stale.
            _concurrentEdits[entity]--;
            Touch(record, Clock.NowStamp());
            Notify(record, QboChangeOperation.Update);
        }

        if (!string.Equals(token, QboJson.GetString(record.Doc, "SyncToken"), StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _staleWritesRefused);
            throw QboFaults.Stale(entity);
        }

        return record;
    }

    /// <summary>A sparse update: the stored document with the request's properties laid over it (a null removes one).</summary>
    private static JsonObject Overlay(JsonObject existing, JsonObject input)
    {
        var merged = (JsonObject)existing.DeepClone();
        foreach (var (key, value) in input)
        {
            if (value is null)
            {
                merged.Remove(key);
            }
            else
            {
                merged[key] = value.DeepClone();
            }
        }

        return merged;
    }

    /// <summary>Copies the writable properties the entity's builder does not compute itself.</summary>
    private static void CopyWritable(JsonObject source, JsonObject target, QboObjectSchema schema, params string[] handled)
    {
        foreach (var (key, value) in source)
        {
            if (value is null || key is "Id" or "SyncToken" or "sparse" || handled.Contains(key, StringComparer.Ordinal))
            {
                continue;
            }

            if (schema.Fields.TryGetValue(key, out var field) && !field.ReadOnly)
            {
                target[key] = value.DeepClone();
            }
        }
    }

    private static JsonObject Currency(string code) =>
        QboJson.Ref(code.ToUpperInvariant(), CurrencyNames.TryGetValue(code, out var name) ? name : code.ToUpperInvariant());

    private static string CurrencyOf(JsonObject doc) => QboJson.RefValue(doc, "CurrencyRef")?.ToUpperInvariant() ?? "USD";

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

    private void AddDefaultAccountsAndItems()
    {
        var meta = QboJson.MetaData(CreatedAt, CreatedAt);
        JsonObject Account(string id, string name, string classification, string type, string subType) => new()
        {
            ["Name"] = name,
            ["SubAccount"] = false,
            ["FullyQualifiedName"] = name,
            ["Active"] = true,
            ["Classification"] = classification,
            ["AccountType"] = type,
            ["AccountSubType"] = subType,
            ["CurrentBalance"] = 0m,
            ["CurrentBalanceWithSubAccounts"] = 0m,
            ["CurrencyRef"] = Currency("USD"),
            ["domain"] = "QBO",
            ["sparse"] = false,
            ["Id"] = id,
            ["SyncToken"] = "0",
            ["MetaData"] = meta.DeepClone(),
        };

        Add(new QboRecord(QboSchemas.Account, "1", Account("1", "Services", "Revenue", "Income", "ServiceFeeIncome")));
        Add(new QboRecord(QboSchemas.Account, "4", Account("4", "Undeposited Funds", "Asset", "Other Current Asset", "UndepositedFunds")));
        Add(new QboRecord(QboSchemas.Account, "35", Account("35", "Checking", "Asset", "Bank", "Checking")));
        Add(new QboRecord(QboSchemas.Item, "1", new JsonObject
        {
            ["Name"] = "Services",
            ["FullyQualifiedName"] = "Services",
            ["Active"] = true,
            ["Type"] = "Service",
            ["Taxable"] = false,
            ["UnitPrice"] = 0m,
            ["TrackQtyOnHand"] = false,
            ["IncomeAccountRef"] = QboJson.Ref("1", "Services"),
            ["domain"] = "QBO",
            ["sparse"] = false,
            ["Id"] = "1",
            ["SyncToken"] = "0",
            ["MetaData"] = meta.DeepClone(),
        }));
    }

    /// <summary>A held read or write lock of a company.</summary>
    internal readonly struct Held(ReaderWriterLockSlim gate, bool write) : IDisposable
    {
        public void Dispose()
        {
            if (write)
            {
                gate.ExitWriteLock();
            }
            else
            {
                gate.ExitReadLock();
            }
        }
    }
}
