using System.Globalization;

namespace ReconMesh.Sandbox.Xero;

/// <summary>The literals of a <c>where</c> clause, the types they may be compared with, and the comparison itself.</summary>
internal sealed partial class XeroWhereParser<T>
{
    private (object? Value, string Type) Literal()
    {
        var token = Take();
        switch (token.Kind)
        {
            case XeroWhereTokenKind.String:
                return (token.Text, "String");
            case XeroWhereTokenKind.Number when decimal.TryParse(token.Text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number):
                return (number, token.Text.Contains('.', StringComparison.Ordinal) ? "Double" : "Int32");
            case XeroWhereTokenKind.Identifier when token.Text == "null":
                return (null, "Object");
            case XeroWhereTokenKind.Identifier when token.Text is "true" or "false":
                return (token.Text == "true", "Boolean");
            case XeroWhereTokenKind.Identifier when token.Text.Equals("guid", StringComparison.OrdinalIgnoreCase):
                return (Guid.TryParse(StringArgument(), out var id) ? id : throw XeroErrors.QueryParse("Guid should contain 32 digits with 4 dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)."), "Guid");
            case XeroWhereTokenKind.Identifier when token.Text == "DateTime":
                return (DateLiteral(), "DateTime");
            default:
                throw XeroErrors.QueryParse("Expression expected");
        }
    }

    private DateTime DateLiteral()
    {
        if (TakeSymbol("."))
        {
            if (Current.Text != "Parse")
            {
                throw XeroErrors.QueryParse($"No applicable method '{Current.Text}' exists in type 'DateTime'");
            }

            Take();
            return DateTime.TryParse(StringArgument(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed
                : throw XeroErrors.QueryParse("String was not recognized as a valid DateTime.");
        }

        Expect("(");
        var parts = new List<int>();
        do
        {
            parts.Add(Current.Kind == XeroWhereTokenKind.Number && int.TryParse(Current.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var part)
                ? part
                : throw XeroErrors.QueryParse("Expression expected"));
            Take();
        }
        while (TakeSymbol(",") && parts.Count < 7);
        Expect(")");
        try
        {
            return parts.Count switch
            {
                3 => new DateTime(parts[0], parts[1], parts[2], 0, 0, 0, DateTimeKind.Utc),
                6 => new DateTime(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], DateTimeKind.Utc),
                _ => throw XeroErrors.QueryParse("No matching constructor in type 'DateTime'"),
            };
        }
        catch (ArgumentOutOfRangeException)
        {
            throw XeroErrors.QueryParse("Year, Month, and Day parameters describe an un-representable DateTime.");
        }
    }

    private string StringArgument()
    {
        Expect("(");
        var value = Current.Kind == XeroWhereTokenKind.String ? Take().Text : throw XeroErrors.QueryParse("Expression expected");
        Expect(")");
        return value;
    }

    private static bool Compatible(XeroFieldKind kind, object literal) => kind switch
    {
        XeroFieldKind.String => literal is string,
        XeroFieldKind.Guid => literal is Guid,
        XeroFieldKind.Date or XeroFieldKind.DateTime => literal is DateTime,
        _ => literal is decimal,
    };

    private static string TypeName(XeroFieldKind kind) => kind switch
    {
        XeroFieldKind.Date => "DateTime?",
        _ => kind.ToString(),
    };

    private static object? Normalize(object? value, bool asString) => value switch
    {
        null => null,
        Guid id when asString => id.ToString("D"),
        DateOnly date => date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        DateTimeOffset stamp => stamp.UtcDateTime,
        _ => value,
    };

    private static bool Apply(string op, object? value, object? literal)
    {
        if (value is null || literal is null)
        {
            var bothNull = value is null && literal is null;
            return op switch { "==" or "=" => bothNull, "!=" or "<>" => !bothNull, _ => false };
        }

        var compared = value is string text
            ? string.Compare(text, (string)literal, StringComparison.OrdinalIgnoreCase)
            : ((IComparable)value).CompareTo(literal);
        return op switch
        {
            "==" or "=" => compared == 0,
            "!=" or "<>" => compared != 0,
            "<" => compared < 0,
            "<=" => compared <= 0,
            ">" => compared > 0,
            _ => compared >= 0,
        };
    }
}
