namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>One <c>where</c> clause: a property path, an operator (<c>= &lt; &gt; &lt;= &gt;= IN LIKE</c>) and its value(s).</summary>
internal sealed record QboCondition(string Path, string Operator, IReadOnlyList<string> Values);

internal sealed record QboOrdering(string Path, bool Descending);

/// <summary>A parsed statement of QuickBooks' query language.</summary>
internal sealed record QboQuery(
    string Entity, bool Count, IReadOnlyList<QboCondition> Where, IReadOnlyList<QboOrdering> OrderBy, int StartPosition, int MaxResults);
