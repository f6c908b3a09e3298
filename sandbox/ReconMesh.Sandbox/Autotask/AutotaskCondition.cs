namespace ReconMesh.Sandbox.Autotask;

/// <summary>A parsed filter expression: a group (<c>and</c>/<c>or</c> of items) or one comparison on a field.</summary>
internal abstract record AutotaskCondition
{
    public abstract bool Matches(AutotaskRecord record);
}

/// <summary>An <c>and</c> or <c>or</c> group; the top-level <c>filter</c> array is an <c>and</c> group.</summary>
internal sealed record AutotaskGroup(bool IsOr, IReadOnlyList<AutotaskCondition> Items) : AutotaskCondition
{
    public override bool Matches(AutotaskRecord record) => IsOr ? Items.Any(i => i.Matches(record)) : Items.All(i => i.Matches(record));
}

/// <summary>
/// One comparison. Values were converted to the field's type when parsed. Text compares ignoring case, as Autotask's
/// database does. A field without a value satisfies only <c>notExist</c>: every other comparison with it is false,
/// <c>noteq</c> and <c>notIn</c> included (SQL's null semantics).
/// </summary>
internal sealed record AutotaskComparison(string Op, AutotaskField Field, IReadOnlyList<object> Values) : AutotaskCondition
{
    public override bool Matches(AutotaskRecord record)
    {
        var value = record[Field.Name];
        if (Op == "exist")
        {
            return value is not null;
        }

        if (Op == "notexist")
        {
            return value is null;
        }

        if (value is null)
        {
            return false;
        }

        return Op switch
        {
            "eq" => Compare(value, Values[0]) == 0,
            "noteq" => Compare(value, Values[0]) != 0,
            "gt" => Compare(value, Values[0]) > 0,
            "gte" => Compare(value, Values[0]) >= 0,
            "lt" => Compare(value, Values[0]) < 0,
            "lte" => Compare(value, Values[0]) <= 0,
            "beginswith" => ((string)value).StartsWith((string)Values[0], StringComparison.OrdinalIgnoreCase),
            "endswith" => ((string)value).EndsWith((string)Values[0], StringComparison.OrdinalIgnoreCase),
            "contains" => ((string)value).Contains((string)Values[0], StringComparison.OrdinalIgnoreCase),
            "in" => Values.Any(v => Compare(value, v) == 0),
            "notin" => Values.All(v => Compare(value, v) != 0),
            _ => false,
        };
    }

    private static int Compare(object left, object right) => (left, right) switch
    {
        (string a, string b) => string.Compare(a, b, StringComparison.OrdinalIgnoreCase),
        (long a, long b) => a.CompareTo(b),
        (decimal a, decimal b) => a.CompareTo(b),
        (bool a, bool b) => a.CompareTo(b),
        (DateTime a, DateTime b) => a.CompareTo(b),
        _ => string.Compare(left.ToString(), right.ToString(), StringComparison.OrdinalIgnoreCase),
    };
}
