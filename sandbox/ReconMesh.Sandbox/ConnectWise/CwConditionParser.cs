using System.Globalization;
using Kind = ReconMesh.Sandbox.ConnectWise.CwConditionTokenKind;
using Token = ReconMesh.Sandbox.ConnectWise.CwConditionToken;

namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>Recursive-descent parser of a conditions string; every error is a 400 in ConnectWise's body.</summary>
internal sealed class CwConditionParser(string text, CwFieldMap fields)
{
    private readonly List<Token> _tokens = CwConditionTokenizer.Tokenize(text);
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
}
