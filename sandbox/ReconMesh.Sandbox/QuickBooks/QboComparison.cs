using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>
/// How the query language compares values: amounts as numbers, dates and times chronologically, ids numerically,
/// other text ignoring case. Literals are read once per query (<see cref="QboLiteral"/>) and a stored value once per row
/// (<see cref="QboOperand"/>), so a condition costs a few comparisons per row instead of parsing inside each one.
/// </summary>
internal static class QboComparison
{
    /// <summary>The value at a dotted path (any case); a reference (<c>CustomerRef</c>) stands for its <c>value</c>.</summary>
    public static JsonValue? Resolve(JsonObject doc, string[] segments)
    {
        JsonNode? current = doc;
        foreach (var segment in segments)
        {
            current = current is JsonObject obj ? QboJson.GetIgnoreCase(obj, segment) : null;
        }

        if (current is JsonObject reference && reference["value"] is JsonValue referenced)
        {
            return referenced;
        }

        return current as JsonValue;
    }

    /// <summary>A date-time with a time part (MetaData times, literals such as <c>2015-01-16T00:00:00-08:00</c>).</summary>
    public static bool TryMoment(string text, out DateTimeOffset moment)
    {
        moment = default;
        return text.Length > 10 && text.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out moment);
    }

    public static bool IsIdentifier(string path) =>
        path.Equals("Id", StringComparison.OrdinalIgnoreCase) || path.EndsWith("Ref", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith(".value", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// A literal of a <c>where</c> clause, read in each way a stored value may be compared with it, each at most once
/// and only when a comparison needs it (an <c>IN</c> of 200 ids needs only their numbers). Belongs to one query.
/// </summary>
internal sealed class QboLiteral(string text, QboClock clock)
{
    private bool _numberRead, _flagRead, _dayRead, _momentRead, _idRead;
    private decimal? _number;
    private bool? _flag;
    private DateOnly? _day;
    private DateTimeOffset? _moment;
    private long? _id;

    public string Text { get; } = text;

    public decimal? Number
    {
        get
        {
            if (!_numberRead)
            {
                _number = decimal.TryParse(Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;
                _numberRead = true;
            }

            return _number;
        }
    }

    public bool? Flag
    {
        get
        {
            if (!_flagRead)
            {
                _flag = bool.TryParse(Text, out var flag) ? flag : null;
                _flagRead = true;
            }

            return _flag;
        }
    }

    public DateOnly? Day
    {
        get
        {
            if (!_dayRead)
            {
                _day = QboObjectSchema.TryParseDate(Text, out var day) ? day : null;
                _dayRead = true;
            }

            return _day;
        }
    }

    /// <summary>A time compares with a literal time, or else with the start of a literal date in the company's zone.</summary>
    public DateTimeOffset? Moment
    {
        get
        {
            if (!_momentRead)
            {
                _moment = QboComparison.TryMoment(Text, out var moment) ? moment : Day is { } date ? clock.StartOfDay(date) : null;
                _momentRead = true;
            }

            return _moment;
        }
    }

    public long? Id
    {
        get
        {
            if (!_idRead)
            {
                _id = long.TryParse(Text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
                _idRead = true;
            }

            return _id;
        }
    }
}

/// <summary>A stored value as the query language sees it, read once per row.</summary>
internal readonly struct QboOperand
{
    private readonly Kind _kind;
    private readonly decimal _number;
    private readonly bool _flag;
    private readonly DateTimeOffset _moment;
    private readonly DateOnly _day;
    private readonly string? _text;
    private readonly long? _id;

    private QboOperand(Kind kind, decimal number = 0m, bool flag = false, DateTimeOffset moment = default, DateOnly day = default, string? text = null, long? id = null)
    {
        _kind = kind;
        _number = number;
        _flag = flag;
        _moment = moment;
        _day = day;
        _text = text;
        _id = id;
    }

    private enum Kind
    {
        Number,
        Flag,
        Moment,
        Day,
        Text,
        Other,
    }

    public static QboOperand Read(JsonValue actual, bool identifier)
    {
        if (actual.TryGetValue<decimal>(out var number))
        {
            return new QboOperand(Kind.Number, number);
        }

        if (actual.TryGetValue<long>(out var whole))
        {
            return new QboOperand(Kind.Number, whole);
        }

        if (actual.TryGetValue<bool>(out var flag))
        {
            return new QboOperand(Kind.Flag, flag: flag);
        }

        if (!actual.TryGetValue<string>(out var text))
        {
            return new QboOperand(Kind.Other);
        }

        if (QboComparison.TryMoment(text, out var moment))
        {
            return new QboOperand(Kind.Moment, moment: moment);
        }

        if (QboObjectSchema.TryParseDate(text, out var day))
        {
            return new QboOperand(Kind.Day, day: day);
        }

        var id = identifier && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : (long?)null;
        return new QboOperand(Kind.Text, text: text, id: id);
    }

    /// <summary>The order of this value against the literal, or null when the two cannot be compared.</summary>
    public int? CompareTo(QboLiteral literal) => _kind switch
    {
        Kind.Number => literal.Number is { } other ? _number.CompareTo(other) : null,
        Kind.Flag => literal.Flag is { } other ? _flag.CompareTo(other) : null,
        Kind.Moment => literal.Moment is { } other ? _moment.CompareTo(other) : null,
        Kind.Day => literal.Day is { } other ? _day.CompareTo(other) : null,
        Kind.Text => _id is { } id && literal.Id is { } otherId ? id.CompareTo(otherId) : string.Compare(_text, literal.Text, StringComparison.OrdinalIgnoreCase),
        _ => null,
    };
}

/// <summary>One <c>where</c> clause made ready to test rows: its path split, its literals read, its LIKE pattern compiled.</summary>
internal sealed class QboCompiledCondition
{
    private readonly string[] _segments;
    private readonly bool _identifier;
    private readonly Regex? _like;
    private readonly QboLiteral[] _literals;

    public QboCompiledCondition(QboCondition condition, QboClock clock)
    {
        Condition = condition;
        _segments = condition.Path.Split('.');
        _identifier = QboComparison.IsIdentifier(condition.Path);
        _literals = [.. condition.Values.Select(v => new QboLiteral(v, clock))];
        if (condition.Operator == "LIKE")
        {
            var pattern = "^" + string.Join(".*", condition.Values[0].Split('%').Select(Regex.Escape)) + "$";
            _like = new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
        }
    }

    public QboCondition Condition { get; }

    public IReadOnlyList<QboLiteral> Literals => _literals;

    public bool Matches(JsonObject doc)
    {
        var actual = QboComparison.Resolve(doc, _segments);
        if (actual is null)
        {
            return false;
        }

        if (_like is not null)
        {
            return _like.IsMatch(actual.TryGetValue<string>(out var text) ? text : actual.ToString());
        }

        var operand = QboOperand.Read(actual, _identifier);
        if (Condition.Operator == "IN")
        {
            foreach (var literal in _literals)
            {
                if (operand.CompareTo(literal) == 0)
                {
                    return true;
                }
            }

            return false;
        }

        return operand.CompareTo(_literals[0]) is { } order && Condition.Operator switch
        {
            "=" => order == 0,
            "<" => order < 0,
            ">" => order > 0,
            "<=" => order <= 0,
            ">=" => order >= 0,
            _ => false,
        };
    }
}
