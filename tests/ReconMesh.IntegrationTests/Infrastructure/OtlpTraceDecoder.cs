using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace ReconMesh.IntegrationTests.Infrastructure;

/// <summary>One span as an OTLP exporter sent it, with the <c>service.name</c> of the process that sent it.</summary>
public sealed record OtlpSpan(
    string ServiceName,
    string TraceId,
    string SpanId,
    string ParentSpanId,
    string Name,
    OtlpSpanKind Kind,
    IReadOnlyDictionary<string, string> Attributes)
{
    public bool Mentions(string text) =>
        Name.Contains(text, StringComparison.Ordinal) || Attributes.Values.Any(v => v.Contains(text, StringComparison.Ordinal));

    public override string ToString() => $"{ServiceName}: {Kind} '{Name}' trace {TraceId}";
}

/// <summary>OTLP's SpanKind numbers (opentelemetry/proto/trace/v1/trace.proto).</summary>
public enum OtlpSpanKind
{
    Unspecified = 0,
    Internal = 1,
    Server = 2,
    Client = 3,
    Producer = 4,
    Consumer = 5,
}

/// <summary>
/// Reads the body of an OTLP/HTTP <c>POST /v1/traces</c> (a protobuf <c>ExportTraceServiceRequest</c>) with a small wire
/// reader: only the fields a test asks about are kept, every other field is skipped by its wire type, so newer exporters
/// that send more fields still decode. Attribute values other than strings (ints, bools, doubles) are kept as text.
/// </summary>
public static class OtlpTraceDecoder
{
    // Field numbers from opentelemetry/proto/collector/trace/v1/trace_service.proto and trace/v1, resource/v1, common/v1.
    private const int RequestResourceSpans = 1;
    private const int ResourceSpansResource = 1, ResourceSpansScopeSpans = 2;
    private const int ResourceAttributes = 1;
    private const int ScopeSpansSpans = 2;
    private const int SpanTraceId = 1, SpanSpanId = 2, SpanParentSpanId = 4, SpanName = 5, SpanKindField = 6, SpanAttributes = 9;
    private const int KeyValueKey = 1, KeyValueValue = 2;
    private const int AnyString = 1, AnyBool = 2, AnyInt = 3, AnyDouble = 4;

    private const int WireVarint = 0, WireFixed64 = 1, LengthDelimited = 2, WireFixed32 = 5;

    public static IReadOnlyList<OtlpSpan> Decode(ReadOnlySpan<byte> exportTraceServiceRequest)
    {
        var spans = new List<OtlpSpan>();
        var reader = new WireReader(exportTraceServiceRequest);
        while (reader.Next(out var field, out var wireType))
        {
            if (field == RequestResourceSpans && wireType == LengthDelimited)
            {
                ReadResourceSpans(reader.Bytes(), spans);
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return spans;
    }

    private static void ReadResourceSpans(ReadOnlySpan<byte> message, List<OtlpSpan> spans)
    {
        // The resource may come after the spans on the wire: keep the spans' bytes until the service name is known.
        var serviceName = "";
        var scopes = new List<byte[]>();
        var reader = new WireReader(message);
        while (reader.Next(out var field, out var wireType))
        {
            if (field == ResourceSpansResource && wireType == LengthDelimited)
            {
                serviceName = ReadAttributes(reader.Bytes(), ResourceAttributes).GetValueOrDefault("service.name", "");
            }
            else if (field == ResourceSpansScopeSpans && wireType == LengthDelimited)
            {
                scopes.Add(reader.Bytes().ToArray());
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        foreach (var scope in scopes)
        {
            var scopeReader = new WireReader(scope);
            while (scopeReader.Next(out var field, out var wireType))
            {
                if (field == ScopeSpansSpans && wireType == LengthDelimited)
                {
                    spans.Add(ReadSpan(scopeReader.Bytes(), serviceName));
                }
                else
                {
                    scopeReader.Skip(wireType);
                }
            }
        }
    }

    private static OtlpSpan ReadSpan(ReadOnlySpan<byte> message, string serviceName)
    {
        string traceId = "", spanId = "", parentSpanId = "", name = "";
        var kind = OtlpSpanKind.Unspecified;
        var reader = new WireReader(message);
        while (reader.Next(out var field, out var wireType))
        {
            switch (field, wireType)
            {
                case (SpanTraceId, LengthDelimited): traceId = Convert.ToHexStringLower(reader.Bytes()); break;
                case (SpanSpanId, LengthDelimited): spanId = Convert.ToHexStringLower(reader.Bytes()); break;
                case (SpanParentSpanId, LengthDelimited): parentSpanId = Convert.ToHexStringLower(reader.Bytes()); break;
                case (SpanName, LengthDelimited): name = Encoding.UTF8.GetString(reader.Bytes()); break;
                case (SpanKindField, WireVarint): kind = (OtlpSpanKind)reader.Varint(); break;
                default: reader.Skip(wireType); break;
            }
        }

        return new OtlpSpan(serviceName, traceId, spanId, parentSpanId, name, kind, ReadAttributes(message, SpanAttributes));
    }

    /// <summary>The KeyValue entries found under <paramref name="attributesField"/> of a message.</summary>
    private static Dictionary<string, string> ReadAttributes(ReadOnlySpan<byte> message, int attributesField)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new WireReader(message);
        while (reader.Next(out var field, out var wireType))
        {
            if (field == attributesField && wireType == LengthDelimited)
            {
                var (key, value) = ReadKeyValue(reader.Bytes());
                attributes[key] = value;
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return attributes;
    }

    private static (string Key, string Value) ReadKeyValue(ReadOnlySpan<byte> message)
    {
        string key = "", value = "";
        var reader = new WireReader(message);
        while (reader.Next(out var field, out var wireType))
        {
            switch (field, wireType)
            {
                case (KeyValueKey, LengthDelimited): key = Encoding.UTF8.GetString(reader.Bytes()); break;
                case (KeyValueValue, LengthDelimited): value = ReadAnyValue(reader.Bytes()); break;
                default: reader.Skip(wireType); break;
            }
        }

        return (key, value);
    }

    private static string ReadAnyValue(ReadOnlySpan<byte> message)
    {
        var value = "";
        var reader = new WireReader(message);
        while (reader.Next(out var field, out var wireType))
        {
            switch (field, wireType)
            {
                case (AnyString, LengthDelimited): value = Encoding.UTF8.GetString(reader.Bytes()); break;
                case (AnyBool, WireVarint): value = reader.Varint() != 0 ? "true" : "false"; break;
                case (AnyInt, WireVarint): value = ((long)reader.Varint()).ToString(CultureInfo.InvariantCulture); break;
                case (AnyDouble, WireFixed64): value = BitConverter.Int64BitsToDouble((long)reader.Fixed64()).ToString(CultureInfo.InvariantCulture); break;
                default: reader.Skip(wireType); break;
            }
        }

        return value;
    }

    /// <summary>The protobuf wire format: a sequence of (field number, wire type) tags, each followed by its value.</summary>
    private ref struct WireReader(ReadOnlySpan<byte> buffer)
    {
        private readonly ReadOnlySpan<byte> _buffer = buffer;
        private int _position;

        public bool Next(out int field, out int wireType)
        {
            if (_position >= _buffer.Length)
            {
                field = wireType = 0;
                return false;
            }

            var tag = Varint();
            field = (int)(tag >> 3);
            wireType = (int)(tag & 7);
            return true;
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = Take(1)[0];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }

            throw new FormatException("A varint longer than 10 bytes.");
        }

        public ulong Fixed64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

        public ReadOnlySpan<byte> Bytes() => Take(checked((int)Varint()));

        public void Skip(int wireType)
        {
            switch (wireType)
            {
                case WireVarint: Varint(); break;
                case WireFixed64: Take(8); break;
                case LengthDelimited: Bytes(); break;
                case WireFixed32: Take(4); break;
                default: throw new FormatException($"Unsupported wire type {wireType} at byte {_position}.");
            }
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count < 0 || _position + count > _buffer.Length)
            {
                throw new FormatException($"The message ends inside a field at byte {_position}.");
            }

            var taken = _buffer.Slice(_position, count);
            _position += count;
            return taken;
        }
    }
}
