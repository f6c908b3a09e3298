using System.Text.Json;
using ReconMesh.Contracts.Invoices;
using static ReconMesh.IntegrationTests.Payments.XeroSandbox;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>
/// The month of <see cref="When_a_month_of_payments_is_reconciled"/> (<see cref="MonthRun"/>) for a tenant on Xero, and
/// for tenants whose ConnectWise or Autotask PSA is paired with Xero, with the books proved entry by entry in Xero's terms
/// (docs/accounting.md, Xero): each payment one Xero payment into the platform's clearing account; each payout one spend
/// of its fees from the clearing account to the fees account and one bank transfer of its amount to the bank; a payment
/// reversed, before or after its payout, deleted (the invoice owes it again), and taken back by a smaller transfer; the
/// clearing account at zero at the end. Xero takes no surcharges yet, so the month's card payments absorb their fees.
/// </summary>
[TestFixture(MonthPsa.None)]
[TestFixture(MonthPsa.ConnectWise)]
[TestFixture(MonthPsa.Autotask)]
public sealed class When_a_month_of_payments_is_reconciled_in_Xero(MonthPsa psa)
{
    private const int InvoiceCount = 240;

    private PlatformScenario _mesh = null!;
    private XeroSandbox _xero = null!;
    private Func<MonthRun, Task> _assertPsaAsync = _ => Task.CompletedTask;
    private IAsyncDisposable _harness = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        if (psa == MonthPsa.ConnectWise)
        {
            var mesh = await ConnectWiseScenarioHarness.StartPairedWithXeroAsync(InvoiceCount, leaveUnmatched: false);
            (_mesh, _xero, _harness) = (mesh, mesh.Xero!, mesh);
            _assertPsaAsync = async run => run.AssertConnectWise(await mesh.BooksAsync());
        }
        else if (psa == MonthPsa.Autotask)
        {
            var mesh = await AutotaskScenarioHarness.StartAsync(InvoiceCount, AutotaskBooks.Xero, leaveUnmatched: false);
            (_mesh, _xero, _harness) = (mesh, mesh.Xero!, mesh);
            _assertPsaAsync = async run => run.AssertAutotask(await mesh.Autotask.InvoicesAsync());
        }
        else
        {
            var mesh = await XeroScenarioHarness.StartAsync(InvoiceCount, recordDeposits: true);
            (_mesh, _xero, _harness) = (mesh, mesh.Xero, mesh);
        }
    }

    [OneTimeTearDown]
    public async Task Stop() => await _harness.DisposeAsync();

    [Test]
    public async Task Every_payout_is_a_fees_spend_and_one_transfer_and_the_books_agree_with_the_platform_to_the_cent()
    {
        var before = await _xero.BooksAsync();
        var run = await MonthRun.RunAsync(_mesh, surcharges: false);

        var books = await _xero.BooksAsync();
        var transfers = books.GetProperty("bankTransfers").EnumerateArray().ToList();
        var spends = books.GetProperty("bankTransactions").EnumerateArray()
            .Where(t => t.GetProperty("type").GetString() == "SPEND" && t.GetProperty("status").GetString() != "DELETED").ToList();
        var payments = books.GetProperty("payments").EnumerateArray().ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Planned, Has.Count.GreaterThanOrEqualTo(250), "a month-sized run");
            Assert.That(run.Planned.Where(p => p.Payment.Surcharge > 0m), Is.Empty, "no surcharges in Xero yet");
            foreach (var payout in run.Payouts)
            {
                var outcome = await MonthRun.OutcomeAsync(_mesh, payout);
                var transfer = transfers.Where(t => Mentions(t, payout.PayoutId)).ToList();
                Assert.That(transfer.Select(t => (t.GetProperty("bankTransferId").GetString(), t.GetProperty("fromCode").GetString(),
                        t.GetProperty("toCode").GetString(), t.GetProperty("amount").GetDecimal())),
                    Is.EqualTo(new[] { (outcome.GetProperty("externalDepositId").GetString(), PlatformClearingAccount, BankAccount, payout.Amount) }),
                    $"payout {payout.PayoutId} is one transfer from the clearing account to the bank, to the cent");
                Assert.That(spends.Where(t => Mentions(t, payout.PayoutId)).Select(t => (t.GetProperty("bankAccountCode").GetString(),
                        t.GetProperty("total").GetDecimal())), Is.EqualTo(new[] { (PlatformClearingAccount, MonthRun.Fees(payout)) }),
                    $"payout {payout.PayoutId}'s fees are one spend from the clearing account");
            }

            Assert.That(transfers, Has.Count.EqualTo(run.Payouts.Count), "one transfer per payout, no other");
            Assert.That(spends, Has.Count.EqualTo(run.Payouts.Count), "one fees spend per payout, no other");
            Assert.That(Balance(books, PlatformClearingAccount), Is.Zero, "every payment paid out, every reversal taken back");
            Assert.That(Balance(books, BankAccount) - Balance(before, BankAccount), Is.EqualTo(run.Payouts.Sum(p => p.Amount)),
                "the bank holds what the platform paid out");
            Assert.That(Balance(books, FeesAccount) - Balance(before, FeesAccount), Is.EqualTo(run.Settled.Sum(p => p.Payment.Fee)),
                "the fees account holds the fees of every payment paid out");

            // Each payment one Xero payment into the clearing account: live if it stayed, deleted if it was reversed.
            foreach (var p in run.Planned)
            {
                var inXero = payments.Where(x => Mentions(x, p.Payment.PaymentId)).ToList();
                var stayed = run.Kept.Contains(p);
                Assert.That(inXero.Select(x => (x.GetProperty("accountCode").GetString(), x.GetProperty("amount").GetDecimal(), x.GetProperty("status").GetString())),
                    Is.EqualTo(new[] { (PlatformClearingAccount, p.Payment.Amount, stayed ? "AUTHORISED" : "DELETED") }),
                    $"payment {p.Payment.PaymentId}: one Xero payment, {(stayed ? "kept" : "deleted")}");
            }

            foreach (var invoice in run.Invoices)
            {
                var owed = run.Owed(invoice);
                var inXero = XeroInvoice(books, invoice);
                Assert.That(inXero.GetProperty("amountDue").GetDecimal(), Is.EqualTo(owed), $"invoice {invoice.Number}: what Xero says is owed");
                Assert.That(inXero.GetProperty("status").GetString(), Is.EqualTo(owed == 0m ? "PAID" : "AUTHORISED"), $"invoice {invoice.Number}: PAID when paid");
            }

            await _assertPsaAsync(run);
        }
    }

    /// <summary>The Xero invoice that stands for a platform invoice: itself, or its twin of the same number when a PSA is the primary.</summary>
    private JsonElement XeroInvoice(JsonElement books, InvoiceSynced invoice) => psa != MonthPsa.None
        ? books.GetProperty("invoices").EnumerateArray().Single(i => i.GetProperty("invoiceNumber").GetString() == invoice.Number)
        : Invoice(books, invoice.ExternalId);

    private static bool Mentions(JsonElement record, string id) => record.GetProperty("reference").GetString()?.Contains(id, StringComparison.Ordinal) == true;
}
