using System.Globalization;
using System.Text;

namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>One <c>where</c> clause: a property path, an operator (<c>= &lt; &gt; &lt;= &gt;= IN LIKE</c>) and its value(s).</summary>
internal sealed record QboCondition(string Path, string Operator, IReadOnlyList<string> Values);

internal sealed record QboOrdering(string Path, bool Descending);

/// <summary>A parsed statement of QuickBooks' query language.</summary>
internal sealed record QboQuery(
    string Entity, bool Count, IReadOnlyList<QboCondition> Where, IReadOnlyList<QboOrdering> OrderBy, int StartPosition, int MaxResults);

/// <summary>
/// Parses <c>SELECT * | COUNT(*) FROM Entity [WHERE p op v [AND …]] [ORDERBY p [ASC|DESC][, …]] [STARTPOSITION n] [MAXRESULTS n]</c>.
/// Keywords and entity names in any case; values in single quotes with <c>\'</c> for an apostrophe, or bare numbers and booleans.
/// </summary>
internal sealed class QboQueryParser
{
    public const int DefaultMaxResults = 1000;

    private readonly List<Token> _tokens;
    private int _position;

    private QboQueryParser(List<Token> tokens) => _tokens = tokens;

    private enum Kind
    {
        Word,
        Quoted,
        Symbol,
        End,
    }

    private Token Current => _tokens[_position];

    public static QboQuery Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw QboFaults.QueryParse("Encountered \"<EOF>\" at line 1, column 1.\nWas expecting: \"SELECT\" ...");
        }

        return new QboQueryParser(Tokenize(text)).ParseStatement();
    }

    private QboQuery ParseStatement()
    {
        ExpectKeyword("SELECT");
        bool count;
        if (Current.Is(Kind.Symbol, "*"))
        {
            _position++;
            count = false;
        }
        else if (Current.IsKeyword("COUNT"))
        {
            _position++;
            Expect(Kind.Symbol, "(");
            Expect(Kind.Symbol, "*");
            Expect(Kind.Symbol, ")");
            count = true;
        }
        else
        {
            throw Unexpected("\"*\" or \"COUNT(*)\"");
        }

        ExpectKeyword("FROM");
        var entity = ExpectWord("an entity name");

        var where = new List<QboCondition>();
        if (Current.IsKeyword("WHERE"))
        {
            _position++;
            where.Add(ParseCondition());
            while (Current.IsKeyword("AND"))
            {
                _position++;
                where.Add(ParseCondition());
            }
        }

        var orderBy = new List<QboOrdering>();
        if (Current.IsKeyword("ORDERBY") || (Current.IsKeyword("ORDER") && Peek(1).IsKeyword("BY")))
        {
            _position += Current.IsKeyword("ORDER") ? 2 : 1;
            do
            {
                if (orderBy.Count > 0)
                {
                    _position++;
                }

                var path = ExpectWord("a property name");
                var descending = false;
                if (Current.IsKeyword("ASC") || Current.IsKeyword("DESC"))
                {
                    descending = Current.IsKeyword("DESC");
                    _position++;
                }

                orderBy.Add(new QboOrdering(path, descending));
            }
            while (Current.Is(Kind.Symbol, ","));
        }

        int? start = null;
        int? max = null;
        while (Current.Kind != Kind.End)
        {
            if (start is null && Current.IsKeyword("STARTPOSITION"))
            {
                _position++;
                start = ExpectInteger();
            }
            else if (max is null && Current.IsKeyword("MAXRESULTS"))
            {
                _position++;
                max = ExpectInteger();
            }
            else
            {
                throw Unexpected("<EOF>");
            }
        }

        return new QboQuery(entity, count, where, orderBy, Math.Max(1, start ?? 1), max ?? DefaultMaxResults);
    }

    private QboCondition ParseCondition()
    {
        var path = ExpectWord("a property name");
        if (Current.IsKeyword("IN"))
        {
            _position++;
            Expect(Kind.Symbol, "(");
            var values = new List<string> { ExpectValue() };
            while (Current.Is(Kind.Symbol, ","))
            {
                _position++;
                values.Add(ExpectValue());
            }

            Expect(Kind.Symbol, ")");
            return new QboCondition(path, "IN", values);
        }

        if (Current.IsKeyword("LIKE"))
        {
            _position++;
            return new QboCondition(path, "LIKE", [ExpectValue()]);
        }

        if (Current.Kind == Kind.Symbol && Current.Text is "=" or "<" or ">" or "<=" or ">=")
        {
            var op = Current.Text;
            _position++;
            return new QboCondition(path, op, [ExpectValue()]);
        }

        throw Unexpected("\"=\", \"<\", \">\", \"<=\", \">=\", \"IN\" or \"LIKE\"");
    }

    private string ExpectValue()
    {
        if (Current.Kind is Kind.Quoted or Kind.Word)
        {
            return _tokens[_position++].Text;
        }

        throw Unexpected("a quoted value");
    }

    private int ExpectInteger()
    {
        var token = Current;
        var text = token.Kind is Kind.Word or Kind.Quoted ? token.Text : null;
        if (text is null || !int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw Unexpected("an integer");
        }

        _position++;
        return value;
    }

    private string ExpectWord(string what)
    {
        if (Current.Kind != Kind.Word || IsReserved(Current.Text))
        {
            throw Unexpected(what);
        }

        return _tokens[_position++].Text;
    }

    private void ExpectKeyword(string keyword)
    {
        if (!Current.IsKeyword(keyword))
        {
            throw Unexpected($"\"{keyword}\"");
        }

        _position++;
    }

    private void Expect(Kind kind, string text)
    {
        if (!Current.Is(kind, text))
        {
            throw Unexpected($"\"{text}\"");
        }

        _position++;
    }

    private Token Peek(int offset) => _tokens[Math.Min(_position + offset, _tokens.Count - 1)];

    private QboFaultException Unexpected(string expected)
    {
        var token = Current;
        var shown = token.Kind switch
        {
            Kind.End => "<EOF>",
            Kind.Quoted => "'" + token.Text + "'",
            _ => token.Text,
        };
        return QboFaults.QueryParse($"Encountered \"{shown}\" at line 1, column {token.Column}.\nWas expecting: {expected} ...");
    }

    private static bool IsReserved(string word) =>
        word.ToUpperInvariant() is "SELECT" or "FROM" or "WHERE" or "AND" or "OR" or "ORDERBY" or "ORDER" or "BY" or "IN" or "LIKE"
            or "STARTPOSITION" or "MAXRESULTS" or "ASC" or "DESC" or "COUNT";

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

                tokens.Add(new Token(Kind.Quoted, value.ToString(), column));
            }
            else if (c is '<' or '>' && i + 1 < text.Length && text[i + 1] == '=')
            {
                tokens.Add(new Token(Kind.Symbol, text.Substring(i, 2), column));
                i += 2;
            }
            else if (c is '(' or ')' or ',' or '*' or '=' or '<' or '>')
            {
                tokens.Add(new Token(Kind.Symbol, c.ToString(), column));
                i++;
            }
            else if (char.IsLetterOrDigit(c) || c is '_' or '.' or '-' or '+' or ':' or '$')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '.' or '-' or '+' or ':' or '$'))
                {
                    i++;
                }

                tokens.Add(new Token(Kind.Word, text[start..i], column));
            }
            else
            {
                throw QboFaults.QueryParse($"Lexical error at line 1, column {column}.  Encountered: \"{c}\" after : \"\"");
            }
        }

        tokens.Add(new Token(Kind.End, "", text.Length + 1));
        return tokens;
    }

    private sealed record Token(Kind Kind, string Text, int Column)
    {
        public bool Is(Kind kind, string text) => Kind == kind && Text == text;

        public bool IsKeyword(string keyword) => Kind == Kind.Word && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);
    }
}
