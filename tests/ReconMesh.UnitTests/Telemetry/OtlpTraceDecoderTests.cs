using System.Buffers.Binary;
using System.Text;
using ReconMesh.IntegrationTests.Infrastructure;

namespace ReconMesh.UnitTests.Telemetry;

/// <summary>
/// The integration tests' OTLP decoder against requests encoded here field by field, in the layout of
/// opentelemetry/proto (ExportTraceServiceRequest > ResourceSpans > ScopeSpans > Span), so a mistake in a field number
/// or a wire type shows up here rather than as a missing span in a slow end-to-end test.
/// </summary>
public sealed class OtlpTraceDecoderTests
{
    private static readonly byte[] TraceId = Convert.FromHexString("0af7651916cd43dd8448eb211c80319c");
    private static readonly byte[] SpanId = Convert.FromHexString("b7ad6b7169203331");
    private static readonly byte[] ParentId = Convert.FromHexString("00f067aa0ba902b7");

    [Test]
    public void Should_read_each_spans_ids_name_kind_attributes_and_its_resources_service_name()
    {
        var span = Message(
            Bytes(1, TraceId), Bytes(2, SpanId), Text(3, "vendor=1"), Bytes(4, ParentId), Text(5, "POST"), Varint(6, 3),
            Fixed64(7, 1_700_000_000_000_000_000), Fixed64(8, 1_700_000_000_100_000_000),
            Bytes(9, KeyValue("url.full", Text(1, "http://127.0.0.1/v3/company/1/payment"))),
            Bytes(9, KeyValue("http.response.status_code", Varint(3, 200))),
            Bytes(9, KeyValue("error", Varint(2, 0))),
            Bytes(15, Message(Text(2, "ok"))));
        var scopeSpans = Message(Bytes(1, Message(Text(1, "System.Net.Http"))), Bytes(2, span));
        // The resource after its spans: protobuf fields may come in any order.
        var resourceSpans = Message(Bytes(2, scopeSpans), Bytes(1, Message(
            Bytes(1, KeyValue("service.namespace", Text(1, "reconmesh"))),
            Bytes(1, KeyValue("service.name", Text(1, "writeback-service"))))));
        var request = Message(Bytes(1, resourceSpans));

        var decoded = OtlpTraceDecoder.Decode(request);

        Assert.That(decoded, Has.Count.EqualTo(1));
        var only = decoded[0];
        Assert.Multiple(() =>
        {
            Assert.That(only.ServiceName, Is.EqualTo("writeback-service"));
            Assert.That(only.TraceId, Is.EqualTo("0af7651916cd43dd8448eb211c80319c"));
            Assert.That(only.SpanId, Is.EqualTo("b7ad6b7169203331"));
            Assert.That(only.ParentSpanId, Is.EqualTo("00f067aa0ba902b7"));
            Assert.That(only.Name, Is.EqualTo("POST"));
            Assert.That(only.Kind, Is.EqualTo(OtlpSpanKind.Client));
            Assert.That(only.Attributes, Is.EquivalentTo(new Dictionary<string, string>
            {
                ["url.full"] = "http://127.0.0.1/v3/company/1/payment",
                ["http.response.status_code"] = "200",
                ["error"] = "false",
            }));
            Assert.That(only.Mentions("/v3/company/1/payment"), Is.True);
        });
    }

    [Test]
    public void Should_keep_each_span_with_the_service_that_sent_it()
    {
        static byte[] ResourceSpans(string service, params string[] names) => Message(
            Bytes(1, Message(Bytes(1, KeyValue("service.name", Text(1, service))))),
            Bytes(2, Message(names.Select(n => Bytes(2, Message(Bytes(1, TraceId), Text(5, n), Varint(6, 5)))).ToArray())));

        var request = Message(Bytes(1, ResourceSpans("payment-events", "a process", "b receive")), Bytes(1, ResourceSpans("invoice-ingest", "sync")));

        var decoded = OtlpTraceDecoder.Decode(request);

        Assert.That(decoded.Select(s => (s.ServiceName, s.Name, s.Kind)), Is.EqualTo(new[]
        {
            ("payment-events", "a process", OtlpSpanKind.Consumer),
            ("payment-events", "b receive", OtlpSpanKind.Consumer),
            ("invoice-ingest", "sync", OtlpSpanKind.Consumer),
        }));
    }

    [Test]
    public void Should_refuse_a_request_that_ends_inside_a_field()
    {
        var request = Message(Bytes(1, Message(Bytes(2, Message(Bytes(2, Message(Text(5, "cut short"))))))));

        Assert.Throws<FormatException>(() => OtlpTraceDecoder.Decode(request.AsSpan(0, request.Length - 3)));
    }

    // A minimal protobuf writer: a tag is (field << 3) | wire type, lengths and varints are base-128 little-endian.
    private static byte[] Message(params byte[][] fields) => [.. fields.SelectMany(f => f)];

    private static byte[] KeyValue(string key, byte[] anyValue) => Message(Text(1, key), Bytes(2, anyValue));

    private static byte[] Text(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    private static byte[] Bytes(int field, byte[] value) => [.. Base128((ulong)(field << 3 | 2)), .. Base128((ulong)value.Length), .. value];

    private static byte[] Varint(int field, ulong value) => [.. Base128((ulong)(field << 3)), .. Base128(value)];

    private static byte[] Fixed64(int field, ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        return [.. Base128((ulong)(field << 3 | 1)), .. bytes];
    }

    private static byte[] Base128(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            var low = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? low : (byte)(low | 0x80));
        }
        while (value != 0);
        return [.. bytes];
    }
}
