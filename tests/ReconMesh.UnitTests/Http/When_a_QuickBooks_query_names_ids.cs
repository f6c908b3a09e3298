using ReconMesh.Integrations.QuickBooks;

namespace ReconMesh.UnitTests.Http;

/// <summary>
/// A query by id travels in the URL: at most <see cref="QuickBooksQuery.MaxIdsPerQuery"/> ids, so no caller can build one
/// longer than a server takes (HTTP 414; issue #14 met it with a page's thousand customers).
/// </summary>
[TestFixture]
public sealed class When_a_QuickBooks_query_names_ids
{
    private static string[] Ids(int count) => [.. Enumerable.Range(100_000, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    [Test]
    public void Should_name_every_id_up_to_the_most_a_query_takes()
    {
        var query = QuickBooksQuery.CustomersById(Ids(QuickBooksQuery.MaxIdsPerQuery));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(query, Does.StartWith("select * from Customer where Id in ('100000',"));
            Assert.That(Uri.EscapeDataString(query), Has.Length.LessThan(4096), "well inside a server's 8 KB request line");
        }
    }

    [Test]
    public void Should_refuse_more_ids_than_one_query_takes()
    {
        Assert.That(() => QuickBooksQuery.InvoicesWithIds(Ids(QuickBooksQuery.MaxIdsPerQuery + 1)),
            Throws.ArgumentException.With.Message.Contains("ask in chunks"));
    }
}
