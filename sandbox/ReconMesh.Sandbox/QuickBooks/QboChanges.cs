using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>What a write did to an entity, as a webhook notification names it.</summary>
internal enum QboChangeOperation
{
    Create,
    Update,
    Delete,
    Void,
}

/// <summary>One entity change of one company: the unit a webhook notification carries.</summary>
internal sealed record QboChange(string RealmId, string Entity, string Id, QboChangeOperation Operation, string LastUpdated);

internal sealed partial class QboCompany
{
    private static readonly HashSet<string> NotifiedEntities = new(StringComparer.Ordinal)
    {
        QboSchemas.Invoice, QboSchemas.Payment, QboSchemas.Customer, QboSchemas.Deposit,
    };

    /// <summary>Changes made under the write lock since the last <see cref="DrainChanges"/>.</summary>
    private readonly List<QboChange> _changes = [];

    /// <summary>Takes the changes the last writes made (call under the write lock); they are delivered outside the lock.</summary>
    public IReadOnlyList<QboChange> DrainChanges()
    {
        if (_changes.Count == 0)
        {
            return [];
        }

        var drained = _changes.ToList();
        _changes.Clear();
        return drained;
    }

    /// <summary>Forgets changes of a write that failed half-way (nothing is written then, so normally there are none).</summary>
    public void DiscardChanges() => _changes.Clear();

    private void Notify(QboRecord record, QboChangeOperation operation)
    {
        if (!NotifiedEntities.Contains(record.Entity))
        {
            return;
        }

        var updated = record.Doc["MetaData"] is JsonObject meta ? QboJson.GetString(meta, "LastUpdatedTime") : null;
        _changes.Add(new QboChange(RealmId, record.Entity, record.Id, operation, updated ?? Clock.NowStamp()));
    }
}
