using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit.Serialization;
using ReconMesh.ServiceDefaults.Messaging;

namespace ReconMesh.UnitTests.Messaging;

/// <summary>
/// The edges of <see cref="WireJson"/> that one sample per message on the real bus does not reach (that is
/// tests/ReconMesh.IntegrationTests/Wire): decimals at their limits, the old forms still read, and applying the options
/// more than once, as a process hosting several buses does.
/// </summary>
[TestFixture]
public sealed class When_the_wire_json_is_applied
{
    private enum Kind
    {
        First = 1,
        Second = 2,
    }

    private sealed record Sample(Kind Kind, decimal Amount, decimal? Fee);

    // MassTransit's own defaults, passed through Apply as ConfigureJsonSerializerOptions does.
    private static JsonSerializerOptions Options() => WireJson.Apply(new JsonSerializerOptions(SystemTextJsonMessageSerializer.Options));

    [TestCase("1250.00")]
    [TestCase("0.00")]
    [TestCase("-0.01")]
    [TestCase("79228162514264337593543950335")]
    [TestCase("0.0000000000000000000000000001")]
    public void Should_write_an_amount_as_a_number_with_every_digit(string digits)
    {
        var amount = decimal.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
        var json = JsonSerializer.Serialize(new Sample(Kind.Second, amount, null), Options());

        Assert.That(json, Does.Contain($"\"amount\": {digits},"));
        Assert.That(json, Does.Contain("\"kind\": \"Second\""));
        Assert.That(json, Does.Contain("\"fee\": null"));
    }

    [TestCase("""{"kind":"Second","amount":12.50,"fee":0.30}""")]
    [TestCase("""{"kind":2,"amount":"12.50","fee":"0.30"}""")]
    [TestCase("""{"kind":"second","amount":1.25E1,"fee":0.3}""")]
    public void Should_read_the_documented_forms_and_the_old_ones(string json)
    {
        var sample = JsonSerializer.Deserialize<Sample>(json, Options())!;

        Assert.That(sample.Kind, Is.EqualTo(Kind.Second));
        Assert.That(sample.Amount, Is.EqualTo(12.50m));
        Assert.That(sample.Fee, Is.EqualTo(0.30m));
    }

    [TestCase("""{"kind":"Second","amount":null,"fee":null}""")]
    [TestCase("""{"kind":"Second","amount":"twelve","fee":null}""")]
    [TestCase("""{"kind":"Second","amount":true,"fee":null}""")]
    public void Should_refuse_an_amount_that_is_not_a_number(string json) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Sample>(json, Options()));

    [Test]
    public void Should_not_stack_converters_when_applied_again()
    {
        var once = Options();
        var twice = WireJson.Apply(new JsonSerializerOptions(once));

        Assert.That(twice.Converters.Select(c => c.GetType()), Is.EqualTo(once.Converters.Select(c => c.GetType())));
        Assert.That(twice.Converters.OfType<JsonStringEnumConverter>().Count(), Is.EqualTo(1));
    }
}
