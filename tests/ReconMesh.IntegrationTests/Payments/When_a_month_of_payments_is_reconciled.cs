using System.Text.Json;
using ReconMesh.Contracts.Invoices;
using static ReconMesh.IntegrationTests.Payments.PaymentScenarioHarness;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>
/// A month of a partner's money through the mesh, on real RabbitMQ, PostgreSQL and the QuickBooks sandbox: several
/// hundred payments by ACH, by card with the fee absorbed or passed on as a surcharge, and in installments; partial
/// payments; an ACH return before deposit; refunds, a late ACH return and chargebacks after deposit; a payout every
/// day that takes the reversals back (<see cref="MonthRun"/>). At the end the books are checked as an accountant would.
/// The same month runs for a tenant on QuickBooks, and for tenants whose ConnectWise or Autotask PSA is paired with
/// QuickBooks: the QuickBooks books must come out the same, and the PSA must show every invoice's balance and status
/// right (Autotask: its paid mark). Xero's books are checked in <see cref="When_a_month_of_payments_is_reconciled_in_Xero"/>.
/// </summary>
[TestFixture(MonthPsa.None)]
[TestFixture(MonthPsa.ConnectWise)]
[TestFixture(MonthPsa.Autotask)]
public sealed class When_a_month_of_payments_is_reconciled(MonthPsa psa)
{
    private const int InvoiceCount = 240;
    private const string FeesAccount = "ReconMesh Payment Fees";
    private const string SurchargeIncome = "ReconMesh Surcharge Income";
    private const string ReversalsClearing = "ReconMesh Reversals Clearing";

    private Month _mesh = null!;

    /// <summary>
    /// What the month needs of a mesh besides what every scenario has: the QuickBooks books, the QuickBooks invoice that
    /// stands for a platform invoice, and the check of the PSA's books when a PSA is the primary.
    /// </summary>
    private sealed record Month(
        PlatformScenario Scenario,
        Func<Task<JsonElement>> BooksAsync,
        Func<JsonElement, InvoiceSynced, JsonElement> QuickBooksInvoice,
        Func<MonthRun, Task> AssertPsaAsync,
        IAsyncDisposable Harness);

    private static JsonElement Twin(JsonElement books, InvoiceSynced invoice) =>
        books.GetProperty("invoices").EnumerateArray().Single(i => i.GetProperty("docNumber").GetString() == invoice.Number);

    private static Month On(PaymentScenarioHarness mesh) => new(mesh, mesh.BooksAsync,
        (books, invoice) => Invoice(books, invoice.ExternalId), _ => Task.CompletedTask, mesh);

    private static Month On(ConnectWiseScenarioHarness mesh) => new(mesh, mesh.QuickBooksBooksAsync, Twin,
        async run => run.AssertConnectWise(await mesh.BooksAsync()), mesh);

    private static Month On(AutotaskScenarioHarness mesh) => new(mesh, mesh.QuickBooksBooksAsync, Twin,
        async run => run.AssertAutotask(await mesh.Autotask.InvoicesAsync()), mesh);

    [OneTimeSetUp]
    public async Task Start() => _mesh = psa switch
    {
        MonthPsa.ConnectWise => On(await ConnectWiseScenarioHarness.StartAsync(InvoiceCount, pairWithQuickBooks: true, leaveUnmatched: false)),
        MonthPsa.Autotask => On(await AutotaskScenarioHarness.StartAsync(InvoiceCount, AutotaskBooks.QuickBooksOnline, leaveUnmatched: false)),
        _ => On(await PaymentScenarioHarness.StartAsync(invoices: InvoiceCount)),
    };

    [OneTimeTearDown]
    public async Task Stop() => await _mesh.Harness.DisposeAsync();

    [Test]
    public async Task Every_payout_is_one_deposit_and_the_books_agree_with_the_platform_to_the_cent()
    {
        var run = await MonthRun.RunAsync(_mesh.Scenario);

        var books = await _mesh.BooksAsync();
        var settledAll = run.Settled.ToList();
        var reversed = run.ReversedLate;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Planned, Has.Count.GreaterThanOrEqualTo(250), "a month-sized run");
            foreach (var payout in run.Payouts)
            {
                var outcome = await MonthRun.OutcomeAsync(_mesh.Scenario, payout);
                var deposit = books.GetProperty("deposits").EnumerateArray()
                    .Single(d => d.GetProperty("id").GetString() == outcome.GetProperty("externalDepositId").GetString());
                Assert.That(deposit.GetProperty("totalAmt").GetDecimal(), Is.EqualTo(payout.Amount), $"payout {payout.PayoutId} is one deposit, to the cent");
            }

            Assert.That(books.GetProperty("deposits").GetArrayLength(), Is.EqualTo(run.Payouts.Count), "one deposit per payout, no other");
            Assert.That(Account(books, "Undeposited Funds"), Is.Zero, "every settled payment left Undeposited Funds");
            Assert.That(Account(books, "Checking"), Is.EqualTo(run.Payouts.Sum(p => p.Amount)), "the bank holds what the platform paid out");
            Assert.That(Account(books, FeesAccount), Is.EqualTo(settledAll.Where(p => p.Payment.Surcharge == 0m).Sum(p => p.Payment.Fee)),
                "the fees account holds the absorbed fees");
            Assert.That(Account(books, SurchargeIncome), Is.EqualTo(
                    settledAll.Where(p => p.Payment.Surcharge > 0m).Sum(p => p.Payment.Surcharge - p.Payment.Fee)
                    - reversed.Where(p => p.Payment.Surcharge > 0m).Sum(p => p.Payment.Surcharge)),
                "surcharges less the fees they paid for, less those given back");
            Assert.That(Account(books, ReversalsClearing), Is.Zero, "every reversal reinstated and taken back");

            // What the customer owes for each invoice, as the platform sees it: its total less the payments that stayed.
            var reinstated = reversed.ToDictionary(p => p.Invoice.InvoiceId, p => ReinstatementBalance(books, p));
            foreach (var invoice in run.Invoices)
            {
                var inBooks = _mesh.QuickBooksInvoice(books, invoice).GetProperty("balance").GetDecimal() + reinstated.GetValueOrDefault(invoice.InvoiceId);
                Assert.That(inBooks, Is.EqualTo(run.Owed(invoice)), $"invoice {invoice.Number}: what the books say is owed");
            }

            await _mesh.AssertPsaAsync(run);
        }
    }

    /// <summary>The open balance of the invoice that reinstated a payment reversed after deposit (RMR-&lt;QuickBooks Payment id&gt;).</summary>
    private static decimal ReinstatementBalance(JsonElement books, MonthPayment reversed)
    {
        var qboPayment = books.GetProperty("payments").EnumerateArray()
            .Single(p => p.GetProperty("privateNote").GetString()?.Contains(reversed.Payment.PaymentId, StringComparison.Ordinal) == true);
        var docNumber = "RMR-" + qboPayment.GetProperty("id").GetString();
        return books.GetProperty("invoices").EnumerateArray().Single(i => i.GetProperty("docNumber").GetString() == docNumber)
            .GetProperty("balance").GetDecimal();
    }
}
