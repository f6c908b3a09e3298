using ReconMesh.InvoiceIngest.Sync;

namespace ReconMesh.UnitTests.InvoiceIngest;

/// <summary>
/// Where the next incremental pass starts (<see cref="InvoiceSync.NextChangedSince"/>): a minute before what the pass has
/// certainly seen, which is when QuickBooks answered its first page where QuickBooks says, and never later than the
/// pass's start on this service's clock. A company quiet since a burst is then read from a minute before the last read,
/// not again and again from a minute before the burst's last change.
/// </summary>
[TestFixture]
public sealed class When_an_incremental_pass_moves_its_cursor
{
    private static readonly DateTimeOffset PassStarted = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);

    [Test]
    public void Should_start_the_next_pass_a_minute_before_the_integration_answered()
    {
        var answered = PassStarted.AddSeconds(-2);

        Assert.That(InvoiceSync.NextChangedSince(answered, PassStarted), Is.EqualTo(answered.AddMinutes(-1)));
    }

    [Test]
    public void Should_not_trust_an_integration_clock_ahead_of_its_own()
    {
        Assert.That(InvoiceSync.NextChangedSince(PassStarted.AddMinutes(10), PassStarted), Is.EqualTo(PassStarted.AddMinutes(-1)));
    }

    [Test]
    public void Should_stay_where_it_was_when_the_pass_saw_no_time()
    {
        Assert.That(InvoiceSync.NextChangedSince(null, PassStarted), Is.Null);
    }

    [TestCase("2015-07-24T10:48:27.239-07:00", "2015-07-24T17:48:27.239+00:00")]
    [TestCase("2026-12-07T03:00:00.000+00:00", "2026-12-07T03:00:00.000+00:00")]
    public void Should_read_when_QuickBooks_answered(string time, string expected)
    {
        Assert.That(QuickBooksInvoiceReader.AnsweredAt(time), Is.EqualTo(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("yesterday")]
    [TestCase("2015-07-24T10:48:27.239-07:00                                        ")]
    public void Should_take_no_time_from_an_answer_without_one(string? time)
    {
        Assert.That(QuickBooksInvoiceReader.AnsweredAt(time), Is.Null);
    }
}
