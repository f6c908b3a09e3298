using System.Buffers;
using System.Text.Json;

namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>
/// Writes the v3 answers that carry stored entities, splicing in each record's cached serialised form
/// (<see cref="QboRecord.Wire"/>) instead of cloning and re-serialising its document. The bytes are the same as
/// serialising the equivalent <c>JsonObject</c> with <see cref="QboJson.WireOptions"/>.
/// </summary>
internal static class QboWire
{
    private static readonly JsonWriterOptions Options = new() { Encoder = QboJson.WireOptions.Encoder };

    /// <summary><c>{"Invoice":{…},"time":"…"}</c></summary>
    public static byte[] Envelope(string entity, QboRecord record, string time) => Write(record.Wire.Length + 64, writer =>
    {
        writer.WriteStartObject();
        writer.WritePropertyName(entity);
        writer.WriteRawValue(record.Wire, skipInputValidation: true);
        writer.WriteString("time", time);
        writer.WriteEndObject();
    });

    /// <summary><c>{"QueryResponse":{} | {"totalCount":n} | {"startPosition":s,"maxResults":n,"Invoice":[…]},"time":"…"}</c></summary>
    public static byte[] QueryResponse(QboQueryResult result, string time) => Write(Size(result.Rows), writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartObject("QueryResponse");
        if (result.TotalCount is { } count)
        {
            writer.WriteNumber("totalCount", count);
        }
        else if (result.Rows.Count > 0)
        {
            writer.WriteNumber("startPosition", result.StartPosition);
            writer.WriteNumber("maxResults", result.Rows.Count);
            WriteRows(writer, result.Entity, result.Rows);
        }

        writer.WriteEndObject();
        writer.WriteString("time", time);
        writer.WriteEndObject();
    });

    /// <summary>
    /// <c>{"CDCResponse":[{"QueryResponse":[{"Invoice":[…],"startPosition":1,"maxResults":n} | {}, …]}],"time":"…"}</c>;
    /// a deleted object is <c>{"status":"Deleted","domain":"QBO","Id","MetaData":{"LastUpdatedTime"}}</c>.
    /// </summary>
    public static byte[] ChangeDataCapture(IReadOnlyList<(string Entity, IReadOnlyList<QboRecord> Rows)> responses, string time) =>
        Write(responses.Sum(r => Size(r.Rows)), writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("CDCResponse");
            writer.WriteStartObject();
            writer.WriteStartArray("QueryResponse");
            foreach (var (entity, rows) in responses)
            {
                writer.WriteStartObject();
                if (rows.Count > 0)
                {
                    WriteRows(writer, entity, rows);
                    writer.WriteNumber("startPosition", 1);
                    writer.WriteNumber("maxResults", rows.Count);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteString("time", time);
            writer.WriteEndObject();
        });

    private static void WriteRows(Utf8JsonWriter writer, string entity, IReadOnlyList<QboRecord> rows)
    {
        writer.WriteStartArray(entity);
        foreach (var record in rows)
        {
            if (!record.Deleted)
            {
                writer.WriteRawValue(record.Wire, skipInputValidation: true);
                continue;
            }

            writer.WriteStartObject();
            writer.WriteString("status", "Deleted");
            writer.WriteString("domain", "QBO");
            writer.WriteString("Id", record.Id);
            writer.WriteStartObject("MetaData");
            writer.WriteString("LastUpdatedTime", record.Doc["MetaData"] is System.Text.Json.Nodes.JsonObject meta ? QboJson.GetString(meta, "LastUpdatedTime") : null);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static int Size(IReadOnlyList<QboRecord> rows) => 128 + rows.Sum(r => r.Deleted ? 128 : r.Wire.Length + 1);

    /// <summary>Writes into a pooled buffer, so that a large answer is allocated once, at its exact size.</summary>
    private static byte[] Write(int sizeHint, Action<Utf8JsonWriter> write)
    {
        var buffer = new PooledBuffer(sizeHint);
        try
        {
            using (var writer = new Utf8JsonWriter(buffer, Options))
            {
                write(writer);
            }

            return buffer.Written.ToArray();
        }
        finally
        {
            buffer.Return();
        }
    }

    private sealed class PooledBuffer(int sizeHint) : IBufferWriter<byte>
    {
        private byte[] _array = ArrayPool<byte>.Shared.Rent(Math.Max(sizeHint, 256));
        private int _written;

        public ReadOnlySpan<byte> Written => _array.AsSpan(0, _written);

        public void Advance(int count) => _written += count;

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            Reserve(sizeHint);
            return _array.AsMemory(_written);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            Reserve(sizeHint);
            return _array.AsSpan(_written);
        }

        public void Return() => ArrayPool<byte>.Shared.Return(_array);

        private void Reserve(int sizeHint)
        {
            if (_array.Length - _written >= Math.Max(sizeHint, 1))
            {
                return;
            }

            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_array.Length * 2, _written + sizeHint));
            _array.AsSpan(0, _written).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_array);
            _array = larger;
        }
    }
}
