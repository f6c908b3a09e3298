using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>
/// One stored entity: its current JSON document (as QuickBooks would return it) and its lifecycle flags. Whoever
/// changes the document in place calls <see cref="Changed"/> (replacing <see cref="Doc"/> does it by itself), so the
/// company's indexes and the cached serialised form follow every change.
/// </summary>
internal sealed class QboRecord(string entity, string id, JsonObject doc)
{
    private JsonObject _doc = doc;
    private byte[]? _wire;

    public string Entity { get; } = entity;

    public string Id { get; } = id;

    public JsonObject Doc
    {
        get => _doc;
        set
        {
            _doc = value;
            Changed();
        }
    }

    public bool Deleted { get; set; }

    public bool Voided { get; set; }

    /// <summary>
    /// The document serialised as QuickBooks sends it, made once per version of the document. Readers may fill it at
    /// the same time under the company's read lock: they compute the same bytes, and the reference is swapped atomically.
    /// </summary>
    public byte[] Wire => _wire ??= QboJson.Serialize(_doc);

    /// <summary>Told of every change (set by the company's table when the record is added).</summary>
    public Action<QboRecord>? Observer { get; set; }

    /// <summary>Place in the order records were added to their table (the order a query sees them in before sorting).</summary>
    public int Position { get; set; }

    /// <summary>The table's index state of this record: the change time and keys it is filed under.</summary>
    public QboIndexEntry? Indexed { get; set; }

    /// <summary>The document changed in place: forget the serialised form and re-file the record in the indexes.</summary>
    public void Changed()
    {
        _wire = null;
        Observer?.Invoke(this);
    }
}

/// <summary>An HTTP answer of the v3 API, kept whole so that a repeated <c>requestid</c> gets exactly the same bytes.</summary>
internal sealed record QboHttpResponse(int Status, byte[] Body);
