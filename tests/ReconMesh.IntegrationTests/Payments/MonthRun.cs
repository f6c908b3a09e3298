using System.Net.Http.Json;
using System.Text.Json;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Contracts.Payments;
using ReconMesh.Contracts.Payouts;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.Sandbox.Platform;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>The PSA a month's tenant bills from, paired with its books; None: the books alone.</summary>
public enum MonthPsa
{
    None,
    ConnectWise,
    Autotask,
}

/// <summary>One payment of the month as the platform reported it, with the invoice it pays and its day.</summary>
public sealed record MonthPayment(PaymentProcessed Payment, InvoiceSynced Invoice, int Day, MonthOfPayments.Payment Month)
{
    public decimal Charged => Payment.Amount + Payment.Surcharge;
}

/// <summary>
/// A month of a partner's money (<see cref="MonthOfPayments"/>) driven through a mesh on the platform's bus, whatever
/// books it writes to: every payment, two ACH returns before their payout, the refunds, late ACH return and chargebacks
/// after it, and a payout every day that takes the reversals back, each waited for until WritebackService recorded it
/// (each payout must be deposited). What happened is kept for the books to be checked against.
/// </summary>
public sealed class MonthRun
{
    private MonthRun(List<InvoiceSynced> invoices, List<MonthPayment> planned, List<MonthPayment> returnedEarly, List<MonthPayment> reversedLate,
        List<PayoutPaid> payouts)
    {
        Invoices = invoices;
        Planned = planned;
        ReturnedEarly = returnedEarly;
        ReversedLate = reversedLate;
        Payouts = payouts;
    }

    /// <summary>The tenant's invoices, in the plan's order.</summary>
    public IReadOnlyList<InvoiceSynced> Invoices { get; }

    public IReadOnlyList<MonthPayment> Planned { get; }

    /// <summary>ACH payments returned before their payout: never paid out.</summary>
    public IReadOnlyList<MonthPayment> ReturnedEarly { get; }

    /// <summary>Payments refunded, returned or charged back after their payout, taken back by a later one.</summary>
    public IReadOnlyList<MonthPayment> ReversedLate { get; }

    public IReadOnlyList<PayoutPaid> Payouts { get; }

    /// <summary>The payments paid out (those returned early left out; those reversed later still in).</summary>
    public IEnumerable<MonthPayment> Settled => Planned.Where(p => !ReturnedEarly.Contains(p));

    /// <summary>What the customer owes on the invoice, as the platform sees it: its total less the payments that stayed.</summary>
    public decimal Owed(InvoiceSynced invoice) =>
        invoice.Total - Planned.Where(p => p.Invoice.InvoiceId == invoice.InvoiceId && !ReturnedEarly.Contains(p) && !ReversedLate.Contains(p))
            .Sum(p => p.Payment.Amount);

    /// <summary>The payments the mesh must have left booked: paid out, never reversed.</summary>
    public IEnumerable<MonthPayment> Kept => Settled.Where(p => !ReversedLate.Contains(p));

    public static async Task<MonthRun> RunAsync(PlatformScenario mesh, bool surcharges = true)
    {
        var invoices = (await mesh.PlatformInvoicesAsync()).OrderBy(i => i.Number, StringComparer.Ordinal).ToList();
        var month = MonthOfPayments.Plan([.. invoices.Select(i => new MonthOfPayments.Invoice(i.InvoiceId, i.Number, i.Total))], surcharges);
        var planned = month.Payments.Select(p => new MonthPayment(new PaymentProcessed($"pay_{p.InvoiceIndex:000}_{p.Sequence:000}_{Guid.NewGuid():N}",
            mesh.Tenant, p.Method, "USD", p.Amount, p.Fee, [new PaymentAllocation(p.Invoice.InvoiceId, p.Amount)], DateTimeOffset.UtcNow, p.Surcharge),
            invoices[p.InvoiceIndex], p.Day, p)).ToList();
        foreach (var chunk in planned.Chunk(50))
        {
            await Task.WhenAll(chunk.Select(p => mesh.PlatformBus.Publish(p.Payment)));
        }

        await Eventually.Until(async () => await mesh.Writeback.GetFromJsonAsync<JsonElement>($"/tenants/{mesh.Tenant}/payments"),
            s => s.GetProperty("states").TryGetProperty("Applied", out var n) && n.GetInt32() == planned.Count,
            $"{planned.Count} payments to be Applied", TimeSpan.FromMinutes(5));

        // Two ACH payments of the last day with any come back before they are paid out: never paid out.
        var returnedEarly = planned.Where(p => month.ReturnedEarly.Contains(p.Month)).ToList();
        foreach (var p in returnedEarly)
        {
            await mesh.FailAsync(p.Payment, "R01");
            await mesh.SettledAsync(p.Payment, "Reversed");
        }

        // After their payout: refunds, a late ACH return and chargebacks, each taken back by the payout five days later.
        var reversedLate = month.ReversedLate.GroupBy(r => r.TakenBackOn)
            .ToDictionary(g => g.Key, g => g.Select(r => (Planned: planned[r.Payment.Sequence], r.Kind)).ToList());
        var payouts = new List<PayoutPaid>();
        for (var day = 0; day < MonthOfPayments.Days; day++)
        {
            var takenBack = reversedLate.GetValueOrDefault(day, []);
            foreach (var (p, kind) in takenBack)
            {
                await mesh.PlatformBus.Publish(Reversal(mesh.Tenant, day, p, kind)); // published as its own type
                await mesh.SettledAsync(p.Payment, "Reversed");
            }

            var settled = planned.Where(p => p.Day == day && !returnedEarly.Contains(p)).ToList();
            var payout = new PayoutPaid($"po_day{day:00}_{Guid.NewGuid():N}", mesh.Tenant, "USD",
                settled.Sum(p => p.Charged - p.Payment.Fee) - takenBack.Sum(r => r.Planned.Charged),
                [.. settled.Select(p => new PayoutPayment(p.Payment.PaymentId, p.Payment.Amount, p.Payment.Fee, p.Payment.Surcharge))],
                DateTimeOffset.UtcNow, [.. takenBack.Select(r => new PayoutReversal(r.Planned.Payment.PaymentId, r.Planned.Charged, r.Kind))]);
            await mesh.PlatformBus.Publish(payout);
            var outcome = await PaymentScenarioHarness.PayoutOutcomeAsync(mesh.Writeback, mesh.Tenant, payout.PayoutId);
            Assert.That(outcome.GetProperty("outcome").GetString(), Is.EqualTo("Deposited"), outcome.ToString());
            payouts.Add(payout);
        }

        return new MonthRun(invoices, planned, returnedEarly, [.. reversedLate.Values.SelectMany(r => r).Select(r => r.Planned)], payouts);
    }

    /// <summary>The payout's outcome in WritebackService.</summary>
    public static Task<JsonElement> OutcomeAsync(PlatformScenario mesh, PayoutPaid payout) =>
        PaymentScenarioHarness.PayoutOutcomeAsync(mesh.Writeback, mesh.Tenant, payout.PayoutId);

    /// <summary>The fees the platform kept from a payout.</summary>
    public static decimal Fees(PayoutPaid payout) => payout.Payments.Sum(p => p.Fee);

    private static object Reversal(string tenant, int day, MonthPayment p, PaymentReversalKind kind) => kind switch
    {
        PaymentReversalKind.Refunded => new PaymentRefunded(p.Payment.PaymentId, tenant, $"re_{day}_{p.Payment.PaymentId}", "USD",
            p.Charged, "Service cancelled", DateTimeOffset.UtcNow),
        PaymentReversalKind.ChargedBack => new PaymentChargedBack(p.Payment.PaymentId, tenant, $"dp_{day}_{p.Payment.PaymentId}", "USD",
            p.Charged, "10.4", "Fraud: card absent environment", DateTimeOffset.UtcNow),
        _ => new PaymentFailed(p.Payment.PaymentId, tenant, "R10", "Customer advises not authorized", DateTimeOffset.UtcNow),
    };

    /// <summary>
    /// Checks, on the Autotask database's books, every invoice's paid mark against what is owed: <c>paidDate</c> set
    /// exactly when nothing is owed, with ReconMesh's <c>webServiceDate</c> stamp of one of the invoice's payments that
    /// stayed (of two partial payments written at once, either may have marked it).
    /// </summary>
    public void AssertAutotask(IReadOnlyList<JsonElement> database)
    {
        foreach (var invoice in Invoices)
        {
            var owed = Owed(invoice);
            var inPsa = database.Single(i => i.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture) == invoice.ExternalId);
            var paid = inPsa.GetProperty("paidDate").ValueKind == JsonValueKind.String;
            Assert.That(paid, Is.EqualTo(owed == 0m), $"Autotask invoice {invoice.Number}: paid when nothing is owed ({owed} owed)");
            if (paid)
            {
                var stamps = Kept.Where(p => p.Invoice.InvoiceId == invoice.InvoiceId).Select(p => Integrations.Writeback.IdempotencyKeys.AutotaskPaidMark(
                    Identity(p), DateOnly.FromDateTime(p.Payment.ProcessedAt.UtcDateTime)));
                Assert.That(stamps, Has.Member(inPsa.GetProperty("webServiceDate").GetDateTimeOffset()),
                    $"Autotask invoice {invoice.Number}: stamped by one of its payments");
            }
        }
    }

    private static Guid Identity(MonthPayment p) => EventSourcing.Identity.MeshIds.Payment(p.Payment.TenantId, p.Payment.PaymentId);

    /// <summary>Checks, on the ConnectWise site's books, every invoice's balance and Closed status against what is owed.</summary>
    public void AssertConnectWise(JsonElement site)
    {
        foreach (var invoice in Invoices)
        {
            var owed = Owed(invoice);
            var inPsa = ConnectWiseSandbox.Invoice(site, invoice.ExternalId);
            Assert.That(inPsa.GetProperty("balance").GetDecimal(), Is.EqualTo(owed), $"ConnectWise invoice {invoice.Number}: what is owed");
            Assert.That(inPsa.GetProperty("closed").GetBoolean(), Is.EqualTo(owed == 0m), $"ConnectWise invoice {invoice.Number}: Closed when paid");
        }
    }
}
