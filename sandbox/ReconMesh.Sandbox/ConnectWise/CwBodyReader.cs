using System.Globalization;
using System.Text.Json;

namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>
/// Strict reading of a request body in ConnectWise's terms: malformed JSON, wrong types, unknown fields and missing
/// required fields all become one 400 <c>InvalidObject</c> listing every problem found. Property names are
/// case-insensitive, as ConnectWise's are.
/// </summary>
internal sealed class CwBodyReader
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    private readonly Dictionary<string, JsonElement> _properties = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _consumed = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<CwValidationError> _errors = [];

    public CwBodyReader(JsonElement root, string resource)
    {
        Resource = resource;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw CwErrors.BadRequest($"The request body must be a JSON object ({resource}), not {Describe(root.ValueKind)}.");
        }

        foreach (var property in root.EnumerateObject())
        {
            _properties[property.Name] = property.Value;
        }
    }

    public string Resource { get; }

    /// <summary>Parses a body, answering 400 for an empty or malformed one. The returned element outlives the document.</summary>
    public static JsonElement Parse(byte[] body)
    {
        if (body.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
        {
            throw CwErrors.BadRequest("The request body is empty; a JSON document is required.");
        }

        try
        {
            using var document = JsonDocument.Parse(body, Options);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line
                ? string.Create(CultureInfo.InvariantCulture, $" at line {line + 1}, position {(ex.BytePositionInLine ?? 0) + 1}")
                : "";
            throw CwErrors.BadRequest($"The request body is not valid JSON{where}.");
        }
    }

    public bool Has(string name) => _properties.ContainsKey(name);

    public void Ignore(params string[] names)
    {
        foreach (var name in names)
        {
            _consumed.Add(name);
        }
    }

    public string? String(string name, bool required = false, int maxLength = int.MaxValue)
    {
        if (!Take(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return Wrong<string>(name, "a string", value);
        }

        var text = value.GetString()!;
        if (required && string.IsNullOrWhiteSpace(text))
        {
            return Fail<string>(name, "NullValue", $"The {name} field is required.");
        }

        if (text.Length > maxLength)
        {
            return Fail<string>(name, "InvalidField", $"The {name} field can be at most {maxLength} characters long.");
        }

        return text;
    }

    public int? Int(string name, bool required = false)
    {
        if (!Take(name, required, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : WrongStruct<int>(name, "a whole number", value);
    }

    public bool? Bool(string name)
    {
        if (!Take(name, false, out var value))
        {
            return null;
        }

        return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : WrongStruct<bool>(name, "true or false", value);
    }

    /// <summary>An amount: a JSON number, at most two decimals, not negative.</summary>
    public decimal? Money(string name, bool required = false)
    {
        if (!Take(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var amount))
        {
            return WrongStruct<decimal>(name, "a number", value);
        }

        if (decimal.Round(amount, 2) != amount)
        {
            FailStruct<decimal>(name, "InvalidField", $"The {name} field can have at most 2 decimal places.");
            return null;
        }

        if (amount < 0m)
        {
            FailStruct<decimal>(name, "InvalidField", $"The {name} field cannot be negative.");
            return null;
        }

        return amount;
    }

    public DateTimeOffset? Date(string name, bool required = false)
    {
        if (!Take(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return WrongStruct<DateTimeOffset>(name, "a date-time string such as 2024-03-01T00:00:00Z", value);
        }

        return CwJson.TryParseDate(value.GetString(), out var date)
            ? date
            : FailStruct<DateTimeOffset>(name, "InvalidField", $"The {name} field must be a date-time such as 2024-03-01T00:00:00Z.");
    }

    /// <summary>The <c>id</c> of a reference object such as <c>"company": {"id": 250}</c>.</summary>
    public int? ReferenceId(string name, bool required = false)
    {
        if (!Take(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            return WrongStruct<int>(name, "a reference object such as {\"id\": 1}", value);
        }

        foreach (var property in value.EnumerateObject())
        {
            if (string.Equals(property.Name, "id", StringComparison.OrdinalIgnoreCase))
            {
                return property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt32(out var id)
                    ? id
                    : FailStruct<int>(name, "InvalidField", $"The {name}/id field must be a whole number.");
            }
        }

        return FailStruct<int>(name, "NullValue", $"The {name}/id field is required.");
    }

    /// <summary>Any JSON value, kept as it is (fields the simulator stores without interpreting).</summary>
    public JsonElement? Raw(string name) => Take(name, false, out var value) ? value : null;

    public void AddError(string field, string code, string message) => _errors.Add(new CwValidationError(code, message, Resource, field));

    /// <summary>Fails with every collected error, unknown fields included.</summary>
    public void Finish()
    {
        foreach (var name in _properties.Keys)
        {
            if (!_consumed.Contains(name))
            {
                _errors.Add(new CwValidationError("UnknownField", $"The field {name} is not a field of {Resource}.", Resource, name));
            }
        }

        if (_errors.Count > 0)
        {
            throw CwErrors.Invalid(Resource, [.. _errors]);
        }
    }

    private bool Take(string name, bool required, out JsonElement value)
    {
        _consumed.Add(name);
        if (_properties.TryGetValue(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        if (required)
        {
            AddError(name, "NullValue", $"The {name} field is required.");
        }

        return false;
    }

    private T? Wrong<T>(string name, string expected, JsonElement value)
        where T : class => Fail<T>(name, "InvalidField", $"The {name} field must be {expected}, not {Describe(value.ValueKind)}.");

    private T? WrongStruct<T>(string name, string expected, JsonElement value)
        where T : struct => FailStruct<T>(name, "InvalidField", $"The {name} field must be {expected}, not {Describe(value.ValueKind)}.");

    private T? Fail<T>(string name, string code, string message)
        where T : class
    {
        AddError(name, code, message);
        return null;
    }

    private T? FailStruct<T>(string name, string code, string message)
        where T : struct
    {
        AddError(name, code, message);
        return null;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
