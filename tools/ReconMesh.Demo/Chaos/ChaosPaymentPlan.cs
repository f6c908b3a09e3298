using System.Diagnostics;
using System.Globalization;

namespace ReconMesh.Demo.Chaos;

/// <summary>Which payments the run makes: every seeded invoice, once it has reached the platform, paid in one part or two.</summary>
internal static class ChaosPaymentPlan
{
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromMinutes(3);
    private static readonly string[] Methods = ["Ach", "Card", "Installments"];

    /// <summary>The platform's three doors into the mesh (the sandbox's <c>delivery</c>).</summary>
    public static readonly string[] Doors = ["bus", "webhook", "json"];

    /// <summary>How a kept payment is taken back later: the bank returns it (ACH), the partner refunds it, the card network charges it back.</summary>
    public const string Returned = "returned";
    public const string Refunded = "refunded";
    public const string ChargedBack = "charged-back";

    /// <summary>
    /// A payment taken back as <paramref name="Kind"/>, <paramref name="After"/> it was taken or, when
    /// <paramref name="AfterPayout"/>, after the payout that settled it was deposited (the payment then stays booked in
    /// QuickBooks, reinstated by an invoice, or is deleted in Xero, and a later payout takes the amount back).
    /// </summary>
    public sealed record Reversal(string Kind, TimeSpan After, bool AfterPayout = false);

    /// <summary>
    /// One payment of the run: to which tenant and invoice, how much, how, through which of the platform's doors, and
    /// whether it is taken back later.
    /// </summary>
    public sealed record Payment(ChaosTenant Tenant, Guid InvoiceId, string ExternalInvoiceId, decimal Amount, string Method, string PaymentId,
        string Door, Reversal? TakenBack);

    /// <summary>
    /// Waits for the seeded invoices to reach the platform, then plans every payment: each invoice paid in full, or in
    /// two parts (40% and 60%), by a random method, through a random door (a third each); about 1% of payments returned
    /// by the bank (ACH) 0-15 s later, 0.5% refunded and 0.5% charged back (card) as soon; for a tenant paid out, half
    /// of these come after the payment's payout instead. A payment is taken back through the door it came by. The
    /// tenants' payments are interleaved in a seeded order.
    /// Payment ids derive from the seed.
    /// </summary>
    public static async Task<List<Payment>> PlanAsync(SandboxClient sandbox, Random random, IReadOnlyDictionary<ChaosTenant, int> perTenant,
        IReadOnlyDictionary<ChaosTenant, int> invoices)
    {
        var plan = new List<Payment>();
        foreach (var (tenant, payments) in perTenant)
        {
            var synced = await WaitForInvoicesAsync(sandbox, tenant.Id, invoices[tenant]);
            var external = tenant switch
            {
                { ConnectWise: true } => (await sandbox.ConnectWiseBooksAsync(tenant.Site!)).Invoices.ToDictionary(i => i.InvoiceNumber,
                    i => i.Id.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal),
                { Autotask: { } database } => (await sandbox.AutotaskBooksAsync(database)).Invoices.Where(i => !i.IsVoided)
                    .ToDictionary(i => i.InvoiceNumber, i => i.Id.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal),
                { Xero: { } organisation } => (await sandbox.XeroBooksAsync(organisation)).Invoices.Where(i => i.Status is not ("VOIDED" or "DELETED"))
                    .ToDictionary(i => i.InvoiceNumber, i => i.InvoiceId, StringComparer.Ordinal),
                _ => QuickBooksInvoices(await sandbox.BooksAsync(tenant.Realm!)),
            };
            if (tenant.Paired)
            {
                var mirrored = QuickBooksInvoices(await sandbox.BooksAsync(tenant.Realm!));
                tenant.PairedInvoices = external.Where(e => mirrored.ContainsKey(e.Key)).ToDictionary(e => e.Value, e => mirrored[e.Key], StringComparer.Ordinal);
            }

            var shuffled = synced.OrderBy(i => i.Number, StringComparer.Ordinal).ToArray();
            random.Shuffle(shuffled);
            var twoParts = payments - invoices[tenant];
            for (var i = 0; i < shuffled.Length; i++)
            {
                var invoice = shuffled[i];
                var first = i < twoParts ? decimal.Round(invoice.Total * 0.4m, 2, MidpointRounding.AwayFromZero) : invoice.Total;
                foreach (var amount in i < twoParts ? new[] { first, invoice.Total - first } : [first])
                {
                    var id = $"pay_chaos_{tenant.Kind[0]}{plan.Count:D6}";
                    var method = Methods[random.Next(Methods.Length)];
                    var door = Doors[random.Next(Doors.Length)];
                    var fate = random.NextDouble();
                    var after = TimeSpan.FromMilliseconds(random.Next(0, 15_000));
                    var afterPayout = tenant.PaysOut && random.NextDouble() < 0.5;
                    (method, var reversal) = fate switch
                    {
                        < 0.010 => ("Ach", new Reversal(Returned, after, afterPayout)),
                        < 0.015 => (method, new Reversal(Refunded, after, afterPayout)),
                        < 0.020 => ("Card", new Reversal(ChargedBack, after, afterPayout)),
                        _ => (method, (Reversal?)null),
                    };
                    plan.Add(new Payment(tenant, invoice.InvoiceId, external[invoice.Number], amount, method, id, door, reversal));
                }
            }
        }

        var ordered = plan.ToArray();
        random.Shuffle(ordered);
        return [.. ordered];
    }

    private static Dictionary<string, string> QuickBooksInvoices(SandboxClient.Books books) =>
        books.Invoices.Where(i => !i.Deleted && !i.Voided).ToDictionary(i => i.DocNumber, i => i.Id, StringComparer.Ordinal);

    private static async Task<IReadOnlyList<SandboxClient.PlatformInvoice>> WaitForInvoicesAsync(SandboxClient sandbox, string tenant, int expected)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var open = (await sandbox.PlatformInvoicesAsync(tenant)).Where(i => i.Balance > 0).ToList();
            if (open.Count >= expected)
            {
                Console.WriteLine($"[chaos] {tenant}: {open.Count} invoices synced to the platform in {clock.Elapsed.TotalSeconds:F1} s");
                return open;
            }

            if (clock.Elapsed > SyncTimeout)
            {
                throw new InvalidOperationException($"only {open.Count} of {expected} invoices of {tenant} reached the platform in {SyncTimeout.TotalMinutes} min");
            }

            await Task.Delay(500);
        }
    }
}
