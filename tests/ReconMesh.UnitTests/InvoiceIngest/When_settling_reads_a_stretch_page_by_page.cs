using ReconMesh.Integrations.QuickBooks;
using ReconMesh.InvoiceIngest.Sync;

namespace ReconMesh.UnitTests.InvoiceIngest;

/// <summary>
/// How settling goes through a stretch of changes page by page (<see cref="InvoiceSync.SettleAfter"/>), against a company
/// whose invoices keep changing meanwhile: the pages are asked for as QuickBooks answers them (changed in the stretch, in
/// order of change, to the second, three rows a page here), each page on the bounds the cursor holds after the one before.
/// </summary>
[TestFixture]
public sealed class When_settling_reads_a_stretch_page_by_page
{
    private const int PageSize = 3;
    private static readonly DateTimeOffset Since = new(2026, 12, 7, 8, 0, 0, 250, TimeSpan.Zero);
    private static readonly DateTimeOffset Until = Since.AddMinutes(1);

    [Test]
    public void Should_read_every_invoice_left_in_the_stretch_when_one_already_read_changes_again()
    {
        var company = new Company(Enumerable.Range(0, 9).Select(i => Since.AddSeconds(i + 1)));

        var read = Settle(company, afterFirstPage: () => company.ChangeAgain(1));

        Assert.That(read, Is.SupersetOf(company.InStretch()),
            "invoice 3 moved up into the first page's place when invoice 1 left; a second page read by position starts after it");
    }

    [Test]
    public void Should_go_on_by_position_through_a_second_stamped_on_more_invoices_than_a_page_holds()
    {
        var burst = Since.AddSeconds(2).AddMilliseconds(500);
        var company = new Company([.. Enumerable.Repeat(burst, 7), Since.AddSeconds(3), Since.AddSeconds(4)]);

        var read = Settle(company);

        Assert.That(read, Is.EquivalentTo(company.InStretch()), "each invoice read, and the stretch settled");
    }

    [Test]
    public void Should_settle_the_stretch_with_its_last_page()
    {
        var page = new InvoicePage([], [], [], 2, Since.AddSeconds(5), 3, IsLast: true);

        Assert.That(InvoiceSync.SettleAfter(Since, Until, page), Is.EqualTo((Until, (DateTimeOffset?)null, 1)));
    }

    [Test]
    public void Should_go_on_by_position_when_an_answer_says_no_change_time_within_the_stretch()
    {
        var beyond = new InvoicePage([], [], [], PageSize, Until.AddSeconds(1), 4, IsLast: false);
        var none = beyond with { LatestUpdate = null };

        using (Assert.EnterMultipleScope())
        {
            Assert.That(InvoiceSync.SettleAfter(Since, Until, beyond), Is.EqualTo((Since, (DateTimeOffset?)Until, 4)));
            Assert.That(InvoiceSync.SettleAfter(Since, Until, none), Is.EqualTo((Since, (DateTimeOffset?)Until, 4)));
        }
    }

    /// <summary>Settles the company's stretch as <see cref="InvoiceSync"/> does, page after page; the invoices read.</summary>
    private static HashSet<int> Settle(Company company, Action? afterFirstPage = null)
    {
        var read = new HashSet<int>();
        (DateTimeOffset Since, DateTimeOffset? Until, int Position) cursor = (Since, Until, 1);
        for (var pages = 0; cursor.Until is { } until; pages++)
        {
            Assert.That(pages, Is.LessThan(20), "settling ends");
            var rows = company.Page(cursor.Since, until, cursor.Position);
            read.UnionWith(rows.Select(r => r.Id));
            var page = new InvoicePage([], [], [], rows.Count, rows.Count == 0 ? null : rows.Max(r => r.Changed), cursor.Position + rows.Count,
                rows.Count < PageSize);
            cursor = InvoiceSync.SettleAfter(cursor.Since, until, page);
            if (pages == 0)
            {
                afterFirstPage?.Invoke();
            }
        }

        return read;
    }

    /// <summary>Invoices numbered in order of their last change, queried as QuickBooks does.</summary>
    private sealed class Company(IEnumerable<DateTimeOffset> changed)
    {
        private readonly List<(int Id, DateTimeOffset Changed)> _invoices = [.. changed.Select((at, id) => (id, at))];

        public void ChangeAgain(int id) => _invoices[_invoices.FindIndex(i => i.Id == id)] = (id, Until.AddSeconds(30));

        public IEnumerable<int> InStretch() => _invoices.Where(i => i.Changed < Until).Select(i => i.Id);

        /// <summary>Changed at or after the second of <paramref name="since"/> and before <paramref name="until"/>, from a 1-based position.</summary>
        public List<(int Id, DateTimeOffset Changed)> Page(DateTimeOffset since, DateTimeOffset until, int position)
        {
            var from = QuickBooksQuery.Second(since);
            return [.. _invoices.Where(i => i.Changed >= from && i.Changed < until).OrderBy(i => i.Changed).ThenBy(i => i.Id)
                .Skip(position - 1).Take(PageSize)];
        }
    }
}
