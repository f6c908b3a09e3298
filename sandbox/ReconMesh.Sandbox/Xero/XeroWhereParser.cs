namespace ReconMesh.Sandbox.Xero;

/// <summary>
/// The subset of Xero's <c>where</c> language a sync needs, parsed without evaluating anything the client sent:
/// comparisons of a known field with a literal (<c>Type=="ACCREC"</c>, <c>Status!="DELETED"</c>,
/// <c>Contact.ContactID==guid("…")</c>, <c>Date&gt;=DateTime(2026,01,01)</c>, <c>Date&lt;DateTime.Parse("2026-02-01")</c>,
/// <c>AmountDue&gt;0</c>, <c>Reference==null</c>), the string methods <c>Contains</c>, <c>StartsWith</c>, <c>EndsWith</c>
/// and <c>ToString()</c>, joined by <c>AND</c>/<c>&amp;&amp;</c>, <c>OR</c>/<c>||</c>, <c>NOT</c>/<c>!</c> and parentheses.
/// Anything else is a 400 QueryParseException in the wording of Xero's parser. Strings compare ignoring case.
/// </summary>
internal sealed partial class XeroWhereParser<T>
{
    private const int MaxDepth = 32;
    private static readonly string[] Methods = ["Contains", "StartsWith", "EndsWith"];

    private readonly List<XeroWhereToken> _tokens;
    private readonly IReadOnlyDictionary<string, XeroField<T>> _fields;
    private readonly string _typeName;
    private int _position;
    private int _depth;

    private XeroWhereParser(string text, IReadOnlyDictionary<string, XeroField<T>> fields, string typeName)
    {
        _tokens = XeroWhereTokenizer.Tokenize(text);
        _fields = fields;
        _typeName = typeName;
    }

    /// <summary>The filter a clause describes; <paramref name="typeName"/> is the entity named in "no property" errors.</summary>
    public static Func<T, bool> Parse(string text, IReadOnlyDictionary<string, XeroField<T>> fields, string typeName)
    {
        var parser = new XeroWhereParser<T>(text, fields, typeName);
        var filter = parser.Or();
        if (parser.Current.Kind != XeroWhereTokenKind.End)
        {
            throw XeroErrors.QueryParse($"Syntax error '{parser.Current.Text}'");
        }

        return filter;
    }

    private XeroWhereToken Current => _tokens[_position];

    private Func<T, bool> Or()
    {
        var left = And();
        while (TakeKeyword("OR") || TakeSymbol("||"))
        {
            var (l, r) = (left, And());
            left = x => l(x) || r(x);
        }

        return left;
    }

    private Func<T, bool> And()
    {
        var left = Unary();
        while (TakeKeyword("AND") || TakeSymbol("&&"))
        {
            var (l, r) = (left, Unary());
            left = x => l(x) && r(x);
        }

        return left;
    }

    private Func<T, bool> Unary()
    {
        if (++_depth > MaxDepth)
        {
            throw XeroErrors.QueryParse("The where clause is nested too deeply");
        }

        try
        {
            if (TakeKeyword("NOT") || TakeSymbol("!"))
            {
                var inner = Unary();
                return x => !inner(x);
            }

            if (TakeSymbol("("))
            {
                var inner = Or();
                Expect(")");
                return inner;
            }

            return Comparison();
        }
        finally
        {
            _depth--;
        }
    }

    private Func<T, bool> Comparison()
    {
        if (Current.Kind != XeroWhereTokenKind.Identifier)
        {
            throw XeroErrors.QueryParse("Expression expected");
        }

        var segments = new List<string> { Take().Text };
        while (TakeSymbol("."))
        {
            segments.Add(Current.Kind == XeroWhereTokenKind.Identifier ? Take().Text : throw XeroErrors.QueryParse("Identifier expected"));
        }

        var method = segments.Count > 1 && Current.Text == "(" ? segments[^1] : null;
        var path = method is null ? segments : segments[..^1];
        var field = _fields.GetValueOrDefault(string.Join('.', path))
            ?? throw XeroErrors.QueryParse($"No property or field '{path[^1]}' exists in type '{(path.Count > 1 ? path[^2] : _typeName)}'");
        var kind = field.Kind;
        if (method == "ToString")
        {
            Expect("(");
            Expect(")");
            kind = XeroFieldKind.String;
            method = null;
        }

        if (method is not null)
        {
            return StringMethod(field, method);
        }

        var op = Current.Kind == XeroWhereTokenKind.Symbol && Current.Text is "==" or "=" or "!=" or "<>" or "<" or "<=" or ">" or ">="
            ? Take().Text
            : throw XeroErrors.QueryParse("Expression of type 'Boolean' expected");
        var (literal, literalType) = Literal();
        if (literal is not null && !Compatible(kind, literal))
        {
            throw XeroErrors.QueryParse($"Operator '{op}' incompatible with operand types '{TypeName(kind)}' and '{literalType}'");
        }

        if (kind is XeroFieldKind.String or XeroFieldKind.Guid && op is "<" or "<=" or ">" or ">=")
        {
            throw XeroErrors.QueryParse($"Operator '{op}' incompatible with operand types '{TypeName(kind)}' and '{literalType}'");
        }

        var read = field.Read;
        var asString = kind == XeroFieldKind.String && field.Kind != XeroFieldKind.String;
        return x => Apply(op, Normalize(read(x), asString), literal);
    }

    private Func<T, bool> StringMethod(XeroField<T> field, string method)
    {
        if (!Methods.Contains(method, StringComparer.Ordinal))
        {
            throw XeroErrors.QueryParse($"No applicable method '{method}' exists in type '{TypeName(field.Kind)}'");
        }

        Expect("(");
        var argument = Current.Kind == XeroWhereTokenKind.String ? Take().Text : throw XeroErrors.QueryParse("Expression expected");
        Expect(")");
        if (field.Kind != XeroFieldKind.String)
        {
            throw XeroErrors.QueryParse($"No applicable method '{method}' exists in type '{TypeName(field.Kind)}'");
        }

        var read = field.Read;
        return method switch
        {
            "Contains" => x => read(x) is string s && s.Contains(argument, StringComparison.OrdinalIgnoreCase),
            "StartsWith" => x => read(x) is string s && s.StartsWith(argument, StringComparison.OrdinalIgnoreCase),
            _ => x => read(x) is string s && s.EndsWith(argument, StringComparison.OrdinalIgnoreCase),
        };
    }

    private XeroWhereToken Take() => _tokens[Current.Kind == XeroWhereTokenKind.End ? _position : _position++];

    private bool TakeSymbol(string symbol)
    {
        if (Current.Kind == XeroWhereTokenKind.Symbol && Current.Text == symbol)
        {
            _position++;
            return true;
        }

        return false;
    }

    private bool TakeKeyword(string keyword)
    {
        if (Current.Kind == XeroWhereTokenKind.Identifier && Current.Text.Equals(keyword, StringComparison.OrdinalIgnoreCase))
        {
            _position++;
            return true;
        }

        return false;
    }

    private void Expect(string symbol)
    {
        if (!TakeSymbol(symbol))
        {
            throw XeroErrors.QueryParse($"'{symbol}' expected");
        }
    }
}
