namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>
/// What a list's conditions say about <c>id</c>, <c>company/id</c> and <c>lastUpdated</c> that the site can check on
/// its own records before rendering any: the ids of <c>id = n</c> / <c>id in (…)</c> (and the same of <c>company/id</c>)
/// and the earliest time of <c>lastUpdated &gt;= [t]</c> (or <c>&gt;</c>, <c>=</c>), from comparisons joined by <c>and</c>. It only narrows: the conditions are still checked
/// on each record it admits, so a list answers what a full scan would.
/// </summary>
internal sealed class CwNarrowing
{
    private HashSet<int>? _ids;
    private HashSet<int>? _companies;
    private DateTimeOffset? _since;

    public void OnlyIds(IEnumerable<int> ids) => _ids = Intersect(_ids, ids);

    public void OnlyCompanies(IEnumerable<int> ids) => _companies = Intersect(_companies, ids);

    public void NotBefore(DateTimeOffset since) => _since = _since is { } earlier && earlier > since ? earlier : since;

    /// <summary>
    /// Could a record with this id, last update and company match? Its lastUpdated is compared as its JSON shows it,
    /// to the whole second (as the literal is read).
    /// </summary>
    public bool Admits(int id, DateTimeOffset lastUpdated, int? companyId) =>
        (_ids is null || _ids.Contains(id)) && (_since is not { } since || CwJson.Truncate(lastUpdated) >= since)
        && (_companies is null || companyId is not { } company || _companies.Contains(company));

    private static HashSet<int> Intersect(HashSet<int>? earlier, IEnumerable<int> ids)
    {
        var named = ids.ToHashSet();
        if (earlier is not null)
        {
            named.IntersectWith(earlier);
        }

        return named;
    }
}
