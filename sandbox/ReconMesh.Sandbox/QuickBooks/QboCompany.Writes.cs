using System.Globalization;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>
/// What every update, void and delete has in common: the record it names with a current SyncToken (and the edits a
/// person makes in the UI meanwhile), the next SyncToken a write hands out, sparse overlays and writable properties.
/// </summary>
internal sealed partial class QboCompany
{
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

    /// <summary>The TxnId and TxnType a line's LinkedTxn entry names, trimmed; each is required (2020).</summary>
    private static (string TxnId, string TxnType) RequiredLink(JsonObject link)
    {
        var txnId = QboJson.GetString(link, "TxnId")?.Trim();
        if (string.IsNullOrEmpty(txnId))
        {
            throw QboFaults.Required("Line.LinkedTxn.TxnId");
        }

        var txnType = QboJson.GetString(link, "TxnType")?.Trim();
        if (string.IsNullOrEmpty(txnType))
        {
            throw QboFaults.Required("Line.LinkedTxn.TxnType");
        }

        return (txnId, txnType);
    }
}
