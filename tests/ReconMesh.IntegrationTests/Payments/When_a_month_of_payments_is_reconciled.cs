using System.Net.Http.Json;
using System.Text.Json;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Contracts.Payments;
using ReconMesh.Contracts.Payouts;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.Sandbox.Platform;
using static ReconMesh.IntegrationTests.Payments.PaymentScenarioHarness;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>
/// A month of a partner's money through the mesh, on real RabbitMQ, PostgreSQL and the QuickBooks sandbox: several
/// hundred payments by ACH, by card with the fee absorbed or passed on as a surcharge, and in installments; partial
/// payments; an ACH return before deposit; refunds, a late ACH return and chargebacks after deposit; a payout every
/// day that takes the reversals back. At the end the books are checked as an accountant would. The same month runs for
/// a tenant on QuickBooks, and for a tenant whose ConnectWise PSA is paired with QuickBooks: the QuickBooks books must
/// come out the same, and ConnectWise must show every invoice's balance and status right.
/// </summary>
[TestFixture(false)]
[TestFixture(true)]
public sealed class When_a_month_of_payments_is_reconciled(bool pairedWithConnectWise)
{
    private const int Days = MonthOfPayments.Days;
    private const int InvoiceCount = 240;
    private const string FeesAccount = "ReconMesh Payment Fees";
    private const string SurchargeIncome = "ReconMesh Surcharge Income";
    private const string ReversalsClearing = "ReconMesh Reversals Clearing";

    private Month _mesh = null!;

    /// <summary>
    /// What the month needs of a mesh, taken from either harness: a tenant, the platform's bus, WritebackService, the
    /// QuickBooks books and the QuickBooks invoice that stands for a platform invoice, and ConnectWise's books when
    /// ConnectWise is the primary.
    /// </summary>
    private sealed record Month(
        string Tenant,
        MassTransit.IBus PlatformBus,
        HttpClient Writeback,
        Func<Task<List<InvoiceSynced>>> PlatformInvoicesAsync,
        Func<PaymentProcessed, string, Task<JsonElement>> SettledAsync,
        Func<PaymentProcessed, string, Task> FailAsync,
        Func<Task<JsonElement>> BooksAsync,
        Func<JsonElement, InvoiceSynced, JsonElement> QuickBooksInvoice,
        Func<Task<JsonElement?>> PsaBooksAsync,
        IAsyncDisposable Harness);

    private static Month On(PaymentScenarioHarness mesh) => new(mesh.Tenant, mesh.PlatformBus, mesh.Writeback, mesh.PlatformInvoicesAsync,
        (p, state) => mesh.SettledAsync(p, state), (p, code) => mesh.FailAsync(p, code), mesh.BooksAsync,
        (books, invoice) => Invoice(books, invoice.ExternalId), () => Task.FromResult<JsonElement?>(null), mesh);

    private static Month On(ConnectWiseScenarioHarness mesh) => new(mesh.Tenant, mesh.PlatformBus, mesh.Writeback, mesh.PlatformInvoicesAsync,
        (p, state) => mesh.SettledAsync(p, state), (p, code) => mesh.FailAsync(p, code), mesh.QuickBooksBooksAsync,
        (books, invoice) => books.GetProperty("invoices").EnumerateArray().Single(i => i.GetProperty("docNumber").GetString() == invoice.Number),
        async () => await mesh.BooksAsync(), mesh);

    private sealed record Planned(PaymentProcessed Payment, InvoiceSynced Invoice, int Day, MonthOfPayments.Payment Month)
    {
        public decimal Charged => Payment.Amount + Payment.Surcharge;
    }

    [OneTimeSetUp]
    public async Task Start() => _mesh = pairedWithConnectWise
        ? On(await ConnectWiseScenarioHarness.StartAsync(InvoiceCount, pairWithQuickBooks: true, leaveUnmatched: false))
        : On(await PaymentScenarioHarness.StartAsync(invoices: InvoiceCount));

    [OneTimeTearDown]
    public async Task Stop() => await _mesh.Harness.DisposeAsync();

    [Test]
    public async Task Every_payout_is_one_deposit_and_the_books_agree_with_the_platform_to_the_cent()
    {
        var invoices = (await _mesh.PlatformInvoicesAsync()).OrderBy(i => i.Number, StringComparer.Ordinal).ToList();
        var month = MonthOfPayments.Plan([.. invoices.Select(i => new MonthOfPayments.Invoice(i.InvoiceId, i.Number, i.Total))]);
        var planned = Plan(month, invoices);
        foreach (var chunk in planned.Chunk(50))
        {
            await Task.WhenAll(chunk.Select(p => _mesh.PlatformBus.Publish(p.Payment)));
        }

        await AllSettledAsync(planned.Count, "Applied", planned.Count);

        // Two ACH payments of the last day with any come back before they are paid out: voided, never deposited.
        var returnedEarly = planned.Where(p => month.ReturnedEarly.Contains(p.Month)).ToList();
        foreach (var p in returnedEarly)
        {
            await _mesh.FailAsync(p.Payment, "R01");
            await _mesh.SettledAsync(p.Payment, "Reversed");
        }

        // After deposit: refunds, a late ACH return and chargebacks, each taken back by the payout five days later.
        var reversedLate = month.ReversedLate.GroupBy(r => r.TakenBackOn)
            .ToDictionary(g => g.Key, g => g.Select(r => (Planned: planned[r.Payment.Sequence], r.Kind)).ToList());

        var payouts = new List<PayoutPaid>();
        for (var day = 0; day < Days; day++)
        {
            foreach (var (p, kind) in reversedLate.GetValueOrDefault(day, []))
            {
                object reversal = kind switch
                {
                    PaymentReversalKind.Refunded => new PaymentRefunded(p.Payment.PaymentId, _mesh.Tenant, $"re_{day}_{p.Payment.PaymentId}", "USD",
                        p.Charged, "Service cancelled", DateTimeOffset.UtcNow),
                    PaymentReversalKind.ChargedBack => new PaymentChargedBack(p.Payment.PaymentId, _mesh.Tenant, $"dp_{day}_{p.Payment.PaymentId}", "USD",
                        p.Charged, "10.4", "Fraud: card absent environment", DateTimeOffset.UtcNow),
                    _ => new PaymentFailed(p.Payment.PaymentId, _mesh.Tenant, "R10", "Customer advises not authorized", DateTimeOffset.UtcNow),
                };
                await _mesh.PlatformBus.Publish(reversal); // published as its own type
                await _mesh.SettledAsync(p.Payment, "Reversed");
            }

            var settled = planned.Where(p => p.Day == day && !returnedEarly.Contains(p)).ToList();
            var takenBack = reversedLate.GetValueOrDefault(day, []);
            var payout = new PayoutPaid($"po_day{day:00}_{Guid.NewGuid():N}", _mesh.Tenant, "USD",
                settled.Sum(p => p.Charged - p.Payment.Fee) - takenBack.Sum(r => r.Planned.Charged),
                [.. settled.Select(p => new PayoutPayment(p.Payment.PaymentId, p.Payment.Amount, p.Payment.Fee, p.Payment.Surcharge))],
                DateTimeOffset.UtcNow, [.. takenBack.Select(r => new PayoutReversal(r.Planned.Payment.PaymentId, r.Planned.Charged, r.Kind))]);
            await _mesh.PlatformBus.Publish(payout);
            var outcome = await PayoutOutcomeAsync(payout.PayoutId);
            Assert.That(outcome.GetProperty("outcome").GetString(), Is.EqualTo("Deposited"), outcome.ToString());
            payouts.Add(payout);
        }

        var books = await _mesh.BooksAsync();
        var psa = await _mesh.PsaBooksAsync();
        var reversed = reversedLate.Values.SelectMany(r => r).Select(r => r.Planned).ToList();
        var settledAll = planned.Where(p => !returnedEarly.Contains(p)).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(planned, Has.Count.GreaterThanOrEqualTo(250), "a month-sized run");
            foreach (var payout in payouts)
            {
                var outcome = await PayoutOutcomeAsync(payout.PayoutId);
                var deposit = books.GetProperty("deposits").EnumerateArray()
                    .Single(d => d.GetProperty("id").GetString() == outcome.GetProperty("externalDepositId").GetString());
                Assert.That(deposit.GetProperty("totalAmt").GetDecimal(), Is.EqualTo(payout.Amount), $"payout {payout.PayoutId} is one deposit, to the cent");
            }

            Assert.That(books.GetProperty("deposits").GetArrayLength(), Is.EqualTo(payouts.Count), "one deposit per payout, no other");
            Assert.That(Account(books, "Undeposited Funds"), Is.Zero, "every settled payment left Undeposited Funds");
            Assert.That(Account(books, "Checking"), Is.EqualTo(payouts.Sum(p => p.Amount)), "the bank holds what the platform paid out");
            Assert.That(Account(books, FeesAccount), Is.EqualTo(settledAll.Where(p => p.Payment.Surcharge == 0m).Sum(p => p.Payment.Fee)),
                "the fees account holds the absorbed fees");
            Assert.That(Account(books, SurchargeIncome), Is.EqualTo(
                    settledAll.Where(p => p.Payment.Surcharge > 0m).Sum(p => p.Payment.Surcharge - p.Payment.Fee)
                    - reversed.Where(p => p.Payment.Surcharge > 0m).Sum(p => p.Payment.Surcharge)),
                "surcharges less the fees they paid for, less those given back");
            Assert.That(Account(books, ReversalsClearing), Is.Zero, "every reversal reinstated and taken back");

            // What the customer owes for each invoice, as the platform sees it: its total less the payments that stayed.
            var reinstated = reversed.ToDictionary(p => p.Invoice.InvoiceId, p => ReinstatementBalance(books, p));
            foreach (var invoice in invoices)
            {
                var owed = invoice.Total - planned.Where(p => p.Invoice.InvoiceId == invoice.InvoiceId && !returnedEarly.Contains(p) && !reversed.Contains(p))
                    .Sum(p => p.Payment.Amount);
                var inBooks = _mesh.QuickBooksInvoice(books, invoice).GetProperty("balance").GetDecimal() + reinstated.GetValueOrDefault(invoice.InvoiceId);
                Assert.That(inBooks, Is.EqualTo(owed), $"invoice {invoice.Number}: what the books say is owed");
                if (psa is { } site)
                {
                    var inPsa = ConnectWiseSandbox.Invoice(site, invoice.ExternalId);
                    Assert.That(inPsa.GetProperty("balance").GetDecimal(), Is.EqualTo(owed), $"ConnectWise invoice {invoice.Number}: what is owed");
                    Assert.That(inPsa.GetProperty("closed").GetBoolean(), Is.EqualTo(owed == 0m), $"ConnectWise invoice {invoice.Number}: Closed when paid");
                }
            }
        }
    }

    /// <summary>The month's payments (see <see cref="MonthOfPayments"/>) as the platform reports them on the bus, in the plan's order.</summary>
    private List<Planned> Plan(MonthOfPayments.Month month, List<InvoiceSynced> invoices) =>
        [.. month.Payments.Select(p => new Planned(new PaymentProcessed($"pay_{p.InvoiceIndex:000}_{p.Sequence:000}_{Guid.NewGuid():N}", _mesh.Tenant, p.Method,
            "USD", p.Amount, p.Fee, [new PaymentAllocation(p.Invoice.InvoiceId, p.Amount)], DateTimeOffset.UtcNow, p.Surcharge), invoices[p.InvoiceIndex], p.Day, p))];

    private Task<JsonElement> PayoutOutcomeAsync(string payoutId) => PaymentScenarioHarness.PayoutOutcomeAsync(_mesh.Writeback, _mesh.Tenant, payoutId);

    private async Task AllSettledAsync(int count, string state, int expected) =>
        await Eventually.Until(async () => await _mesh.Writeback.GetFromJsonAsync<JsonElement>($"/tenants/{_mesh.Tenant}/payments"),
            s => s.GetProperty("states").TryGetProperty(state, out var n) && n.GetInt32() == expected,
            $"{count} payments to be {state}", TimeSpan.FromMinutes(5));


    /// <summary>The open balance of the invoice that reinstated a payment reversed after deposit (RMR-&lt;QuickBooks Payment id&gt;).</summary>
    private static decimal ReinstatementBalance(JsonElement books, Planned reversed)
    {
        var qboPayment = books.GetProperty("payments").EnumerateArray()
            .Single(p => p.GetProperty("privateNote").GetString()?.Contains(reversed.Payment.PaymentId, StringComparison.Ordinal) == true);
        var docNumber = "RMR-" + qboPayment.GetProperty("id").GetString();
        return books.GetProperty("invoices").EnumerateArray().Single(i => i.GetProperty("docNumber").GetString() == docNumber)
            .GetProperty("balance").GetDecimal();
    }


}
