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

    private static JsonObject Currency(string code) =>
        QboJson.Ref(code.ToUpperInvariant(), CurrencyNames.TryGetValue(code, out var name) ? name : code.ToUpperInvariant());

    private static string CurrencyOf(JsonObject doc) => QboJson.RefValue(doc, "CurrencyRef")?.ToUpperInvariant() ?? "USD";

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
