namespace ReconMesh.Sandbox.Autotask;

/// <summary>
/// One entity of a database (an invoice, company or contact): its id and its field values under the canonical field
/// names of its <see cref="AutotaskEntity"/>. Values are <c>long</c>, <c>decimal</c>, <c>string</c>, <c>bool</c>,
/// <c>DateTime</c> (UTC) or null. Only read and changed under the database's lock.
/// </summary>
internal sealed class AutotaskRecord(AutotaskEntity entity, long id)
{
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);

    public AutotaskEntity Entity { get; } = entity;

    public long Id { get; } = id;

    public object? this[string field]
    {
        get => field == "id" ? Id : _values.GetValueOrDefault(field);
        set => _values[field] = value;
    }

    public string? Text(string field) => this[field] as string;

    public long? Long(string field) => this[field] as long?;

    public decimal Decimal(string field) => this[field] as decimal? ?? 0m;

    public bool Bool(string field) => this[field] as bool? ?? false;

    public DateTime? Date(string field) => this[field] as DateTime?;
}
