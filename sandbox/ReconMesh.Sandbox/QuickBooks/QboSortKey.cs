using System.Globalization;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>
/// The value a row is ordered by (<c>ORDERBY path</c>), read once per row before sorting rather than inside each
/// comparison: numbers compare as numbers, booleans as booleans, times chronologically, ids numerically, the rest as
/// text ignoring case; a row without the value sorts first.
/// </summary>
internal sealed class QboSortKey
{
    private readonly bool _present;
    private readonly decimal? _number;
    private readonly bool? _flag;
    private readonly string _text = "";
    private readonly DateTimeOffset? _moment;
    private readonly long? _id;

    public QboSortKey(JsonObject doc, string[] segments, bool identifier)
    {
        var value = QboComparison.Resolve(doc, segments);
        if (value is null)
        {
            return;
        }

        _present = true;
        _number = value.TryGetValue<decimal>(out var number) ? number : null;
        _flag = value.TryGetValue<bool>(out var flag) ? flag : null;
        _text = value.ToString();
        _moment = QboComparison.TryMoment(_text, out var moment) ? moment : null;
        _id = identifier && long.TryParse(_text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }

    public static int Compare(QboSortKey left, QboSortKey right)
    {
        if (!left._present || !right._present)
        {
            return (left._present ? 1 : 0) - (right._present ? 1 : 0);
        }

        if (left._number is { } a && right._number is { } b)
        {
            return a.CompareTo(b);
        }

        if (left._flag is { } p && right._flag is { } q)
        {
            return p.CompareTo(q);
        }

        if (left._moment is { } mx && right._moment is { } my)
        {
            return mx.CompareTo(my);
        }

        if (left._id is { } ix && right._id is { } iy)
        {
            return ix.CompareTo(iy);
        }

        return string.Compare(left._text, right._text, StringComparison.OrdinalIgnoreCase);
    }
}
