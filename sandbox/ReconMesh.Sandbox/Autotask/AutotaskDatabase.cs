namespace ReconMesh.Sandbox.Autotask;

/// <summary>
/// One Autotask database (a partner's instance): its companies, contacts and invoices, its API users, its limits and
/// the counts the books report. Everything but the throttle is read and changed under <see cref="Gate"/>.
/// </summary>
internal sealed class AutotaskDatabase(string id, int ci, AutotaskThrottle throttle, TimeProvider time)
{
    public const int MaxTextLength = 255;

    private readonly Dictionary<AutotaskEntity, SortedDictionary<long, AutotaskRecord>> _tables =
        AutotaskEntity.All.ToDictionary(e => e, _ => new SortedDictionary<long, AutotaskRecord>());

    private long _nextId = 29_683_601;
    private readonly Dictionary<string, AutotaskRecord> _invoiceNumbers = new(StringComparer.OrdinalIgnoreCase);
    private long _nextInvoiceNumber = 10_001;

    public Lock Gate { get; } = new();

    public string Id { get; } = id;

    /// <summary>The database's number, answered by the zone look-up as <c>ci</c>.</summary>
    public int Ci { get; } = ci;

    public AutotaskThrottle Throttle { get; } = throttle;

    public DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>Admitted API calls (all integration codes).</summary>
    public long Requests { get; set; }

    /// <summary>Calls refused by the hourly threshold.</summary>
    public long ThresholdBlocked { get; set; }

    /// <summary>Calls refused by the thread limit.</summary>
    public long ThreadLimited { get; set; }

    /// <summary>Admitted calls that waited because the hour's use was at 50% or more.</summary>
    public long Delayed { get; set; }

    public Dictionary<string, long> RequestsByIntegrationCode { get; } = new(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<AutotaskRecord> Records(AutotaskEntity entity) => _tables[entity].Values;

    public int Count(AutotaskEntity entity) => _tables[entity].Count;

    public AutotaskRecord? Find(AutotaskEntity entity, long id) => _tables[entity].GetValueOrDefault(id);

    /// <summary>A new record with the next id (ids grow across entities, as Autotask's do within one).</summary>
    public AutotaskRecord Add(AutotaskEntity entity)
    {
        var record = new AutotaskRecord(entity, _nextId++);
        _tables[entity].Add(record.Id, record);
        return record;
    }

    /// <summary>The next invoice number of Autotask's default sequence that no invoice has.</summary>
    public string NextInvoiceNumber()
    {
        string number;
        do
        {
            number = (_nextInvoiceNumber++).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        while (_invoiceNumbers.ContainsKey(number));

        return number;
    }

    public AutotaskRecord? InvoiceByNumber(string number) => _invoiceNumbers.GetValueOrDefault(number);

    /// <summary>Gives an invoice its number, keeping the index by number current.</summary>
    public void SetInvoiceNumber(AutotaskRecord invoice, string number)
    {
        if (invoice.Text("invoiceNumber") is { } old && _invoiceNumbers.GetValueOrDefault(old) == invoice)
        {
            _invoiceNumbers.Remove(old);
        }

        invoice["invoiceNumber"] = number;
        _invoiceNumbers[number] = invoice;
    }
}
