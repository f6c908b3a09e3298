using System.Text;

namespace ReconMesh.Sandbox.QuickBooks;

internal enum QboQueryTokenKind
{
    Word,
    Quoted,
    Symbol,
    End,
}

/// <summary>One token of a query, with the 1-based column it starts at (for QuickBooks' parse errors).</summary>
internal sealed record QboQueryToken(QboQueryTokenKind Kind, string Text, int Column)
{
    public bool Is(QboQueryTokenKind kind, string text) => Kind == kind && Text == text;

    public bool IsKeyword(string keyword) => Kind == QboQueryTokenKind.Word && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Splits a query into words, single-quoted values (<c>\'</c> for an apostrophe), symbols (<c>( ) , * = &lt; &gt; &lt;= &gt;=</c>)
/// and a closing end token; a character it does not know, or an unclosed quote, is QuickBooks' lexical error.
/// </summary>
internal static class QboQueryTokenizer
{
    public static List<QboQueryToken> Tokenize(string text)
    {
        var tokens = new List<QboQueryToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var column = i + 1;
            if (c == '\'')
            {
                var value = new StringBuilder();
                i++;
                var closed = false;
                while (i < text.Length)
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        value.Append(text[i + 1]);
                        i += 2;
                    }
                    else if (text[i] == '\'')
                    {
                        i++;
                        closed = true;
                        break;
                    }
                    else
                    {
                        value.Append(text[i++]);
                    }
                }

                if (!closed)
                {
                    throw QboFaults.QueryParse($"Lexical error at line 1, column {text.Length + 1}.  Encountered: <EOF> after : \"'{value}\"");
                }

                tokens.Add(new QboQueryToken(QboQueryTokenKind.Quoted, value.ToString(), column));
            }
            else if (c is '<' or '>' && i + 1 < text.Length && text[i + 1] == '=')
            {
                tokens.Add(new QboQueryToken(QboQueryTokenKind.Symbol, text.Substring(i, 2), column));
                i += 2;
            }
            else if (c is '(' or ')' or ',' or '*' or '=' or '<' or '>')
            {
                tokens.Add(new QboQueryToken(QboQueryTokenKind.Symbol, c.ToString(), column));
                i++;
            }
            else if (char.IsLetterOrDigit(c) || c is '_' or '.' or '-' or '+' or ':' or '$')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '.' or '-' or '+' or ':' or '$'))
                {
                    i++;
                }

                tokens.Add(new QboQueryToken(QboQueryTokenKind.Word, text[start..i], column));
            }
            else
            {
                throw QboFaults.QueryParse($"Lexical error at line 1, column {column}.  Encountered: \"{c}\" after : \"\"");
            }
        }

        tokens.Add(new QboQueryToken(QboQueryTokenKind.End, "", text.Length + 1));
        return tokens;
    }
}
