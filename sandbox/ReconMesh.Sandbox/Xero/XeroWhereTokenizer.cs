using System.Text;

namespace ReconMesh.Sandbox.Xero;

/// <summary>
/// Splits a <c>where</c> clause into tokens. Strings are in double quotes (a doubled quote is a quote); symbols are
/// <c>== = != &lt;&gt; &lt; &lt;= &gt; &gt;= &amp;&amp; || ! ( ) , .</c>. Bounded: at most <see cref="MaxLength"/> characters.
/// </summary>
internal static class XeroWhereTokenizer
{
    public const int MaxLength = 4000;

    private static readonly string[] Symbols = ["==", "!=", "<>", "<=", ">=", "&&", "||", "=", "<", ">", "!", "(", ")", ",", "."];

    public static List<XeroWhereToken> Tokenize(string text)
    {
        if (text.Length > MaxLength)
        {
            throw XeroErrors.QueryParse($"The where clause must not be longer than {MaxLength} characters");
        }

        var tokens = new List<XeroWhereToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '"')
            {
                tokens.Add(new XeroWhereToken(XeroWhereTokenKind.String, ReadString(text, ref i), i));
            }
            else if (char.IsAsciiDigit(c) || (c == '-' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                var start = i++;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
                {
                    i++;
                }

                tokens.Add(new XeroWhereToken(XeroWhereTokenKind.Number, text[start..i], start));
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new XeroWhereToken(XeroWhereTokenKind.Identifier, text[start..i], start));
            }
            else
            {
                var symbol = Symbols.FirstOrDefault(s => string.CompareOrdinal(text, i, s, 0, s.Length) == 0)
                    ?? throw XeroErrors.QueryParse($"Syntax error '{c}'");
                tokens.Add(new XeroWhereToken(XeroWhereTokenKind.Symbol, symbol, i));
                i += symbol.Length;
            }
        }

        tokens.Add(new XeroWhereToken(XeroWhereTokenKind.End, "", text.Length));
        return tokens;
    }

    private static string ReadString(string text, ref int i)
    {
        var value = new StringBuilder();
        i++;
        while (i < text.Length)
        {
            if (text[i] == '"')
            {
                if (i + 1 < text.Length && text[i + 1] == '"')
                {
                    value.Append('"');
                    i += 2;
                    continue;
                }

                i++;
                return value.ToString();
            }

            value.Append(text[i++]);
        }

        throw XeroErrors.QueryParse("Unterminated string literal");
    }
}
