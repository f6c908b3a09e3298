using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>
/// ConnectWise's <c>conditions</c> language: comparisons <c>path op value</c> combined with <c>and</c>/<c>or</c>
/// (any case, <c>and</c> binding tighter), <c>not</c> and parentheses. Values are quoted strings (single or double),
/// bare numbers, <c>true</c>/<c>false</c>, <c>null</c> and bracketed dates <c>[2024-01-01T00:00:00Z]</c>. Operators:
/// <c>= != &lt;&gt; &lt; &lt;= &gt; &gt;= like contains in</c>, each negatable with <c>not</c>. Nested paths use <c>/</c>; a
/// path through an array (e.g. <c>communicationItems/value</c>) matches when any element does.
/// </summary>
internal abstract class CwCondition
{
    public abstract bool Matches(JsonObject entity);

    /// <summary>Tells <paramref name="narrowing"/> what this condition requires of id and lastUpdated, if it can say.</summary>
    public virtual void Narrow(CwNarrowing narrowing)
    {
    }

    /// <summary>Parses and type-checks a conditions string; null for an empty one. Throws a 400 on any error.</summary>
    public static CwCondition? Parse(string? text, CwFieldMap fields)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var parser = new CwConditionParser(text, fields);
        return parser.ParseAll();
    }

    /// <summary>Resolves a <c>/</c>-separated path to its values (several when it runs through an array).</summary>
    public static List<JsonNode?> Resolve(JsonObject entity, string path)
    {
        var current = new List<JsonNode?> { entity };
        foreach (var segment in path.Split('/'))
        {
            var next = new List<JsonNode?>();
            foreach (var node in current)
            {
                if (node is JsonObject obj)
                {
                    next.Add(Property(obj, segment));
                }
                else if (node is JsonArray array)
                {
                    foreach (var element in array)
                    {
                        next.Add(element is JsonObject item ? Property(item, segment) : null);
                    }
                }
            }

            current = next;
        }

        var values = new List<JsonNode?>();
        foreach (var node in current)
        {
            if (node is JsonArray array)
            {
                values.AddRange(array);
            }
            else
            {
                values.Add(node);
            }
        }

        return values;
    }

    private static JsonNode? Property(JsonObject obj, string name)
    {
        if (obj.TryGetPropertyValue(name, out var exact))
        {
            return exact;
        }

        foreach (var (key, value) in obj)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    public static object? Typed(JsonNode? node, CwFieldType type)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        switch (value.GetValueKind())
        {
            case JsonValueKind.Number when type == CwFieldType.Number:
                return decimal.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
            case JsonValueKind.True or JsonValueKind.False when type == CwFieldType.Boolean:
                return value.GetValueKind() == JsonValueKind.True;
            case JsonValueKind.String when type == CwFieldType.Date:
                return CwJson.TryParseDate(value.GetValue<string>(), out var date) ? date : null;
            case JsonValueKind.String when type == CwFieldType.String:
                return value.GetValue<string>();
            default:
                return null;
        }
    }

    public static int Compare(object left, object right) => (left, right) switch
    {
        (string a, string b) => string.Compare(a, b, StringComparison.OrdinalIgnoreCase),
        (decimal a, decimal b) => a.CompareTo(b),
        (DateTimeOffset a, DateTimeOffset b) => a.CompareTo(b),
        (bool a, bool b) => a.CompareTo(b),
        _ => 0,
    };
}

internal sealed class CwAnd(CwCondition left, CwCondition right) : CwCondition
{
    public override bool Matches(JsonObject entity) => left.Matches(entity) && right.Matches(entity);

    public override void Narrow(CwNarrowing narrowing)
    {
        left.Narrow(narrowing);
        right.Narrow(narrowing);
    }
}

internal sealed class CwOr(CwCondition left, CwCondition right) : CwCondition
{
    public override bool Matches(JsonObject entity) => left.Matches(entity) || right.Matches(entity);
}

internal sealed class CwNot(CwCondition inner) : CwCondition
{
    public override bool Matches(JsonObject entity) => !inner.Matches(entity);
}

internal enum CwOperator
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Like,
    Contains,
    In,
}

/// <summary><c>path op value</c>. A null field matches only <c>= null</c> (and <c>!= null</c> matches the others), as in SQL.</summary>
internal sealed class CwComparison(string path, CwFieldType type, CwOperator op, bool negated, IReadOnlyList<object?> values) : CwCondition
{
    private readonly Regex? _like = op == CwOperator.Like && values[0] is string pattern ? LikeRegex(pattern) : null;

    public override bool Matches(JsonObject entity)
    {
        var found = Resolve(entity, path).Select(n => Typed(n, type)).ToList();
        if (values.Count == 1 && values[0] is null)
        {
            var isNull = found.All(v => v is null);
            return (op == CwOperator.Equal) != negated ? isNull : !isNull;
        }

        var present = found.Where(v => v is not null).ToList();
        if (present.Count == 0)
        {
            return false;
        }

        var any = present.Any(v => Test(v!));
        return negated ? !any : any;
    }

    public override void Narrow(CwNarrowing narrowing)
    {
        if (negated)
        {
            return;
        }

        var whole = values.All(v => v is decimal d && d == decimal.Truncate(d) && d is >= int.MinValue and <= int.MaxValue);
        if (path is "id" or "company/id" && op is CwOperator.Equal or CwOperator.In && whole)
        {
            var ids = values.Select(v => (int)(decimal)v!);
            if (path == "id")
            {
                narrowing.OnlyIds(ids);
            }
            else
            {
                narrowing.OnlyCompanies(ids);
            }
        }
        else if (path == "_info/lastUpdated" && op is CwOperator.GreaterOrEqual or CwOperator.Greater or CwOperator.Equal
            && values is [DateTimeOffset since])
        {
            narrowing.NotBefore(since);
        }
    }

    private bool Test(object value) => op switch
    {
        CwOperator.Equal => Compare(value, values[0]!) == 0,
        CwOperator.NotEqual => Compare(value, values[0]!) != 0,
        CwOperator.Less => Compare(value, values[0]!) < 0,
        CwOperator.LessOrEqual => Compare(value, values[0]!) <= 0,
        CwOperator.Greater => Compare(value, values[0]!) > 0,
        CwOperator.GreaterOrEqual => Compare(value, values[0]!) >= 0,
        CwOperator.Contains => value is string text && text.Contains((string)values[0]!, StringComparison.OrdinalIgnoreCase),
        CwOperator.Like => value is string text && _like!.IsMatch(text),
        CwOperator.In => values.Any(v => v is not null && Compare(value, v) == 0),
        _ => false,
    };

    private static Regex LikeRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        foreach (var c in pattern)
        {
            regex.Append(c switch
            {
                '%' => ".*",
                '_' => ".",
                _ => Regex.Escape(c.ToString()),
            });
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
    }
}

/// <summary>Recursive-descent parser of a conditions string; every error is a 400 in ConnectWise's body.</summary>
internal sealed class CwConditionParser(string text, CwFieldMap fields)
{
    private enum Kind
    {
        Word,
        String,
        Number,
        Date,
        Symbol,
        End,
    }

    private readonly record struct Token(Kind Kind, string Text, int Position);

    private readonly List<Token> _tokens = Tokenize(text);
    private int _index;

    public CwCondition ParseAll()
    {
        var condition = ParseOr();
        if (Peek.Kind != Kind.End)
        {
            throw Error($"Unexpected '{Peek.Text}' at position {Peek.Position + 1}.");
        }

        return condition;
    }

    private Token Peek => _tokens[_index];

    private Token Next() => _tokens[_index++];

    private bool IsWord(string word) => Peek.Kind == Kind.Word && string.Equals(Peek.Text, word, StringComparison.OrdinalIgnoreCase);

    private bool IsSymbol(string symbol) => Peek.Kind == Kind.Symbol && Peek.Text == symbol;

    private CwCondition ParseOr()
    {
        var left = ParseAnd();
        while (IsWord("or"))
        {
            Next();
            left = new CwOr(left, ParseAnd());
        }

        return left;
    }

    private CwCondition ParseAnd()
    {
        var left = ParseUnary();
        while (IsWord("and"))
        {
            Next();
            left = new CwAnd(left, ParseUnary());
        }

        return left;
    }

    private CwCondition ParseUnary()
    {
        if (IsWord("not"))
        {
            Next();
            return new CwNot(ParseUnary());
        }

        if (IsSymbol("("))
        {
            Next();
            var inner = ParseOr();
            if (!IsSymbol(")"))
            {
                throw Error($"Expected ')' at position {Peek.Position + 1}.");
            }

            Next();
            return inner;
        }

        return ParseComparison();
    }

    private CwComparison ParseComparison()
    {
        var field = Next();
        if (field.Kind != Kind.Word || IsKeyword(field.Text))
        {
            throw Error(field.Kind == Kind.End
                ? "The conditions end where a field name was expected."
                : $"Expected a field name at position {field.Position + 1}, found '{field.Text}'.");
        }

        if (!fields.TryResolve(field.Text, out var path, out var type))
        {
            throw Error($"Cannot find field '{field.Text}' on {fields.Resource}.");
        }

        var negated = false;
        if (IsWord("not"))
        {
            Next();
            negated = true;
        }

        var opToken = Next();
        CwOperator op;
        if (opToken.Kind == Kind.Symbol)
        {
            op = opToken.Text switch
            {
                "=" => CwOperator.Equal,
                "!=" or "<>" => CwOperator.NotEqual,
                "<" => CwOperator.Less,
                "<=" => CwOperator.LessOrEqual,
                ">" => CwOperator.Greater,
                ">=" => CwOperator.GreaterOrEqual,
                _ => throw Error($"Expected an operator after '{field.Text}', found '{opToken.Text}'."),
            };
        }
        else if (opToken.Kind == Kind.Word && opToken.Text.ToUpperInvariant() is "LIKE" or "CONTAINS" or "IN")
        {
            op = opToken.Text.ToUpperInvariant() switch
            {
                "LIKE" => CwOperator.Like,
                "CONTAINS" => CwOperator.Contains,
                _ => CwOperator.In,
            };
        }
        else
        {
            throw Error($"Expected an operator after '{field.Text}', found '{(opToken.Kind == Kind.End ? "end of conditions" : opToken.Text)}'.");
        }

        if (negated && op is not (CwOperator.Like or CwOperator.Contains or CwOperator.In))
        {
            throw Error($"'not' can only precede like, contains or in (field '{field.Text}').");
        }

        var values = new List<object?>();
        if (op == CwOperator.In)
        {
            if (!IsSymbol("("))
            {
                throw Error($"Expected '(' after 'in' for field '{field.Text}'.");
            }

            Next();
            while (true)
            {
                values.Add(ParseValue(field.Text, type, op));
                if (IsSymbol(","))
                {
                    Next();
                    continue;
                }

                if (IsSymbol(")"))
                {
                    Next();
                    break;
                }

                throw Error($"Expected ',' or ')' in the list of '{field.Text}' at position {Peek.Position + 1}.");
            }
        }
        else
        {
            values.Add(ParseValue(field.Text, type, op));
        }

        if (values.Count == 1 && values[0] is null && op is not (CwOperator.Equal or CwOperator.NotEqual))
        {
            throw Error($"null can only be compared with = or != (field '{field.Text}').");
        }

        return new CwComparison(path, type, op, negated, values);
    }

    private object? ParseValue(string field, CwFieldType type, CwOperator op)
    {
        var token = Next();
        var (actual, value) = token.Kind switch
        {
            Kind.String => ("string", (object?)token.Text),
            Kind.Number => ("numeric", decimal.Parse(token.Text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture)),
            Kind.Date => ("datetime", CwJson.TryParseDate(token.Text, out var date) ? date : throw Error($"'[{token.Text}]' is not a valid date and time.")),
            Kind.Word when string.Equals(token.Text, "true", StringComparison.OrdinalIgnoreCase) => ("boolean", true),
            Kind.Word when string.Equals(token.Text, "false", StringComparison.OrdinalIgnoreCase) => ("boolean", false),
            Kind.Word when string.Equals(token.Text, "null", StringComparison.OrdinalIgnoreCase) => ("null", null),
            Kind.End => throw Error($"The conditions end where a value for '{field}' was expected."),
            _ => ("unknown", (object?)token.Text),
        };

        if (actual == "null")
        {
            return null;
        }

        var expected = type switch
        {
            CwFieldType.String => "string",
            CwFieldType.Number => "numeric",
            CwFieldType.Boolean => "boolean",
            _ => "datetime",
        };
        if (actual != expected)
        {
            throw Error(actual == "unknown"
                ? $"Unexpected '{token.Text}' where a value for '{field}' was expected. {CwErrors.ConditionsHelp}"
                : $"Expected a {expected} value, not a {actual}. {CwErrors.ConditionsHelp}");
        }

        if (op is CwOperator.Like or CwOperator.Contains && type != CwFieldType.String)
        {
            throw Error($"The {(op == CwOperator.Like ? "like" : "contains")} operator needs a string field; '{field}' is {expected}.");
        }

        if (type == CwFieldType.Boolean && op is not (CwOperator.Equal or CwOperator.NotEqual or CwOperator.In))
        {
            throw Error($"Boolean field '{field}' can only be compared with = or !=.");
        }

        return value;
    }

    private static bool IsKeyword(string word) =>
        word.ToUpperInvariant() is "AND" or "OR" or "NOT" or "LIKE" or "CONTAINS" or "IN" or "TRUE" or "FALSE" or "NULL";

    private static CwErrorException Error(string message) => CwErrors.Conditions(message);

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            if (c is '"' or '\'')
            {
                var value = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw Error($"Unterminated string starting at position {start + 1}.");
                    }

                    if (text[i] == '\\' && i + 1 < text.Length && (text[i + 1] == c || text[i + 1] == '\\'))
                    {
                        value.Append(text[i + 1]);
                        i += 2;
                        continue;
                    }

                    if (text[i] == c)
                    {
                        if (i + 1 < text.Length && text[i + 1] == c)
                        {
                            value.Append(c);
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    value.Append(text[i++]);
                }

                tokens.Add(new Token(Kind.String, value.ToString(), start));
            }
            else if (c == '[')
            {
                var end = text.IndexOf(']', i);
                if (end < 0)
                {
                    throw Error($"Unterminated date starting at position {start + 1}.");
                }

                tokens.Add(new Token(Kind.Date, text[(i + 1)..end].Trim(), start));
                i = end + 1;
            }
            else if (char.IsAsciiDigit(c) || (c == '-' && i + 1 < text.Length && (char.IsAsciiDigit(text[i + 1]) || text[i + 1] == '.')) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                i++;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
                {
                    i++;
                }

                var number = text[start..i];
                if (number.Count(ch => ch == '.') > 1 || (i < text.Length && (char.IsAsciiLetter(text[i]) || text[i] == '_')))
                {
                    throw Error($"'{number}' at position {start + 1} is not a valid number. {CwErrors.ConditionsHelp}");
                }

                tokens.Add(new Token(Kind.Number, number, start));
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '/' or '.'))
                {
                    i++;
                }

                tokens.Add(new Token(Kind.Word, text[start..i], start));
            }
            else if (c is '(' or ')' or ',')
            {
                tokens.Add(new Token(Kind.Symbol, c.ToString(), start));
                i++;
            }
            else if (c is '=' or '!' or '<' or '>')
            {
                var two = i + 1 < text.Length ? text.Substring(i, 2) : "";
                if (two is "!=" or "<=" or ">=" or "<>")
                {
                    tokens.Add(new Token(Kind.Symbol, two, start));
                    i += 2;
                }
                else if (c == '!')
                {
                    throw Error($"Unexpected '!' at position {start + 1}.");
                }
                else
                {
                    tokens.Add(new Token(Kind.Symbol, c.ToString(), start));
                    i++;
                }
            }
            else
            {
                throw Error($"Unexpected character '{c}' at position {start + 1}.");
            }
        }

        tokens.Add(new Token(Kind.End, "", text.Length));
        return tokens;
    }
}
