using System.Globalization;

namespace ReconMesh.Integrations.QuickBooks;

/// <summary>Builds statements of QuickBooks' query language with values quoted as it requires.</summary>
public static class QuickBooksQuery
{
    /// <summary>QuickBooks returns at most this many rows per query.</summary>
    public const int MaxPageSize = 1000;

    public static string Quote(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    public static string Quote(DateTimeOffset value) => "'" + Timestamp(value) + "'";

    /// <summary>
    /// The start of the second <paramref name="value"/> falls in: what a query bound by <paramref name="value"/> means to
    /// QuickBooks, which writes and compares times to the second (<see cref="Timestamp"/>).
    /// </summary>
    public static DateTimeOffset Second(DateTimeOffset value) => value.AddTicks(-(value.Ticks % TimeSpan.TicksPerSecond));

    /// <summary>A time as QuickBooks writes it: seconds and the UTC offset.</summary>
    public static string Timestamp(DateTimeOffset value) => value.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>
    /// Every invoice in a stable order. The initial sync filters open ones itself: filtering by Balance in the query
    /// would shift later pages whenever an invoice is paid mid-sync, and skip invoices that never change again.
    /// </summary>
    public static string InvoicesById(int startPosition, int pageSize = MaxPageSize) =>
        $"select * from Invoice orderby Id startposition {startPosition} maxresults {pageSize}";

    public static string InvoicesChangedSince(DateTimeOffset since, int startPosition, int pageSize = MaxPageSize) =>
        $"select * from Invoice where MetaData.LastUpdatedTime >= {Quote(since)} orderby MetaData.LastUpdatedTime startposition {startPosition} maxresults {pageSize}";

    /// <summary>The invoices last changed in [<paramref name="since"/>, <paramref name="until"/>), both to the second as QuickBooks stamps them.</summary>
    public static string InvoicesChangedBetween(DateTimeOffset since, DateTimeOffset until, int startPosition, int pageSize = MaxPageSize) =>
        $"select * from Invoice where MetaData.LastUpdatedTime >= {Quote(since)} and MetaData.LastUpdatedTime < {Quote(until)} " +
        $"orderby MetaData.LastUpdatedTime startposition {startPosition} maxresults {pageSize}";

    /// <summary>
    /// Ids one query by id names at most: the query travels in the URL, and a thousand of them is longer than a server
    /// takes (HTTP 414). Ask for more in chunks of this many.
    /// </summary>
    public const int MaxIdsPerQuery = 200;

    /// <summary>The invoices of the given ids that still exist (deleted ones are not returned).</summary>
    public static string InvoicesWithIds(IReadOnlyCollection<string> ids) => ById("Invoice", ids);

    public static string CustomersById(IReadOnlyCollection<string> ids) => ById("Customer", ids);

    private static string ById(string entity, IReadOnlyCollection<string> ids) => ids.Count <= MaxIdsPerQuery
        ? $"select * from {entity} where Id in ({string.Join(",", ids.Select(Quote))}) maxresults {MaxPageSize}"
        : throw new ArgumentException($"A query by id names at most {MaxIdsPerQuery} ids ({ids.Count} given): ask in chunks.", nameof(ids));
}
