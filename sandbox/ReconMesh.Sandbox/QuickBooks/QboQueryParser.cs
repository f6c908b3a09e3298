using System.Globalization;

namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>
/// Parses <c>SELECT * | COUNT(*) FROM Entity [WHERE p op v [AND …]] [ORDERBY p [ASC|DESC][, …]] [STARTPOSITION n] [MAXRESULTS n]</c>.
/// Keywords and entity names in any case; values in single quotes with <c>\'</c> for an apostrophe, or bare numbers and booleans.
/// </summary>
internal sealed class QboQueryParser
{
    public const int DefaultMaxResults = 1000;

    private readonly List<QboQueryToken> _tokens;
    private int _position;

    private QboQueryParser(List<QboQueryToken> tokens) => _tokens = tokens;

    private QboQueryToken Current => _tokens[_position];

    public static QboQuery Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw QboFaults.QueryParse("Encountered \"<EOF>\" at line 1, column 1.\nWas expecting: \"SELECT\" ...");
        }

        return new QboQueryParser(QboQueryTokenizer.Tokenize(text)).ParseStatement();
    }

    private QboQuery ParseStatement()
    {
        ExpectKeyword("SELECT");
        bool count;
        if (Current.Is(QboQueryTokenKind.Symbol, "*"))
        {
            _position++;
            count = false;
        }
        else if (Current.IsKeyword("COUNT"))
        {
            _position++;
            Expect(QboQueryTokenKind.Symbol, "(");
            Expect(QboQueryTokenKind.Symbol, "*");
            Expect(QboQueryTokenKind.Symbol, ")");
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
            while (Current.Is(QboQueryTokenKind.Symbol, ","));
        }

        int? start = null;
        int? max = null;
        while (Current.Kind != QboQueryTokenKind.End)
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
            Expect(QboQueryTokenKind.Symbol, "(");
            var values = new List<string> { ExpectValue() };
            while (Current.Is(QboQueryTokenKind.Symbol, ","))
            {
                _position++;
                values.Add(ExpectValue());
            }

            Expect(QboQueryTokenKind.Symbol, ")");
            return new QboCondition(path, "IN", values);
        }

        if (Current.IsKeyword("LIKE"))
        {
            _position++;
            return new QboCondition(path, "LIKE", [ExpectValue()]);
        }

        if (Current.Kind == QboQueryTokenKind.Symbol && Current.Text is "=" or "<" or ">" or "<=" or ">=")
        {
            var op = Current.Text;
            _position++;
            return new QboCondition(path, op, [ExpectValue()]);
        }

        throw Unexpected("\"=\", \"<\", \">\", \"<=\", \">=\", \"IN\" or \"LIKE\"");
    }

    private string ExpectValue()
    {
        if (Current.Kind is QboQueryTokenKind.Quoted or QboQueryTokenKind.Word)
        {
            return _tokens[_position++].Text;
        }

        throw Unexpected("a quoted value");
    }

    private int ExpectInteger()
    {
        var token = Current;
        var text = token.Kind is QboQueryTokenKind.Word or QboQueryTokenKind.Quoted ? token.Text : null;
        if (text is null || !int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw Unexpected("an integer");
        }

        _position++;
        return value;
    }

    private string ExpectWord(string what)
    {
        if (Current.Kind != QboQueryTokenKind.Word || IsReserved(Current.Text))
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

    private void Expect(QboQueryTokenKind kind, string text)
    {
        if (!Current.Is(kind, text))
        {
            throw Unexpected($"\"{text}\"");
        }

        _position++;
    }

    private QboQueryToken Peek(int offset) => _tokens[Math.Min(_position + offset, _tokens.Count - 1)];

    private QboFaultException Unexpected(string expected)
    {
        var token = Current;
        var shown = token.Kind switch
        {
            QboQueryTokenKind.End => "<EOF>",
            QboQueryTokenKind.Quoted => "'" + token.Text + "'",
            _ => token.Text,
        };
        return QboFaults.QueryParse($"Encountered \"{shown}\" at line 1, column {token.Column}.\nWas expecting: {expected} ...");
    }

    private static bool IsReserved(string word) =>
        word.ToUpperInvariant() is "SELECT" or "FROM" or "WHERE" or "AND" or "OR" or "ORDERBY" or "ORDER" or "BY" or "IN" or "LIKE"
            or "STARTPOSITION" or "MAXRESULTS" or "ASC" or "DESC" or "COUNT";
}
