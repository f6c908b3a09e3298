using Microsoft.Playwright;
using ReconMesh.IntegrationTests.Payments;
using ReconMesh.OperatorConsole.Pages;
using static Microsoft.Playwright.Assertions;

namespace ReconMesh.IntegrationTests.Browser;

/// <summary>The console's payouts against deposits, the overview's last payout, sync and rate limits, and search by customer.</summary>
public sealed partial class When_an_operator_uses_the_console
{
    [Test]
    public async Task Payouts_are_set_beside_their_deposits_and_one_not_deposited_is_highlighted()
    {
        var pair = await PayoutPair.PaidOutTwiceAsync(_mesh);
        var amount = Show.Money(pair.Payment.Amount - pair.Payment.Fee, "USD");
        var page = await WriterAsync();

        // The overview: the last payout and whether it matched; each connection's sync and rate limit.
        var tenant = page.GetByRole(AriaRole.Region, new() { Name = _mesh.Tenant });
        await Expect(tenant.Locator("#last-payout")).ToContainTextAsync(pair.Unmatched.PayoutId);
        await Expect(tenant.Locator("#last-payout-match")).ToHaveTextAsync("Not deposited: needs a person");
        // The tests' connection is set unpaced (the limiter has tests of its own), and the overview says so.
        await Expect(tenant.Locator("td.limit").First).ToContainTextAsync("unpaced, any number at once");
        await Expect(tenant.Locator("td.limit").First).ToContainTextAsync("set for this connection");
        await Expect(tenant.Locator("td.sync").First).ToContainTextAsync("invoices synced");
        await ConsoleHarness.ScreenshotAsync(page, "overview-payouts");

        await tenant.GetByRole(AriaRole.Link, new() { Name = "Payouts", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Payouts of {_mesh.Tenant}" })).ToBeVisibleAsync();
        var matched = page.Locator($"tr[data-payout='{pair.Matched.PayoutId}']");
        var unmatched = page.Locator($"tr[data-payout='{pair.Unmatched.PayoutId}']");
        await Expect(matched).ToContainTextAsync("Matches its deposit");
        await Expect(matched.Locator("td.num").Nth(1)).ToHaveTextAsync(amount);
        await Expect(matched.Locator("td.num").Nth(3)).ToHaveTextAsync(amount);
        await Expect(matched).ToContainTextAsync($"deposit {pair.MatchedOutcome.GetProperty("externalDepositId").GetString()}");
        await Expect(matched).ToContainTextAsync($"into account {PaymentScenarioHarness.CheckingAccountId}");
        await Expect(matched).Not.ToHaveClassAsync("attention");
        await Expect(unmatched).ToHaveClassAsync("attention");
        await Expect(unmatched).ToContainTextAsync("Not deposited: needs a person");
        await Expect(unmatched).ToContainTextAsync("payment-already-settled");
        await Expect(page.Locator("#payouts-attention")).ToContainTextAsync("need attention");
        await ConsoleHarness.ScreenshotAsync(page, "payouts");

        await page.GetByRole(AriaRole.Link, new() { Name = "Show only those that need attention" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Show every payout" })).ToBeVisibleAsync();
        await Expect(unmatched).ToBeVisibleAsync();
        await Expect(matched).ToHaveCountAsync(0);
    }

    [Test]
    public async Task A_customers_invoices_are_found_by_part_of_their_name_or_by_their_id()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        var page = await WriterAsync();
        await page.GotoAsync($"/tenants/{_mesh.Tenant}/find");
        var field = page.GetByLabel("Customer: name, part of it, or the integration's id");
        var search = page.GetByRole(AriaRole.Button, new() { Name = "Find the customer's invoices" });
        var found = page.Locator("#customer-invoices");

        await field.FillAsync(invoice.CustomerName[1..^1].ToUpperInvariant());
        await search.ClickAsync();
        await Expect(found.GetByRole(AriaRole.Link, new() { Name = invoice.Number, Exact = true })).ToBeVisibleAsync();
        await Expect(found).ToContainTextAsync(invoice.CustomerExternalId);
        await ConsoleHarness.ScreenshotAsync(page, "find-customer");

        await field.FillAsync(invoice.CustomerExternalId);
        await search.ClickAsync();
        await Expect(found.GetByRole(AriaRole.Link, new() { Name = invoice.Number, Exact = true })).ToBeVisibleAsync();
        await Expect(found.Locator("tbody tr").First).ToContainTextAsync(invoice.CustomerExternalId);

        await field.FillAsync("no customer is called this");
        await search.ClickAsync();
        await Expect(page.Locator("#nothing-found")).ToContainTextAsync("has no invoice of a customer");
        await Expect(found).ToHaveCountAsync(0);
    }

    [Test]
    public async Task A_payment_on_its_way_is_refreshed_in_place_and_its_new_state_said_politely()
    {
        var page = await WriterAsync();
        // Paying an invoice the mesh never heard of: the payment waits for it, then (3 s here) needs a person.
        var payment = await _mesh.PayAsync((Guid.NewGuid(), 25.00m));
        var waiting = await _mesh.SettledAsync(payment, "WaitingForInvoice", "NeedsAttention");
        Assert.That(waiting.GetProperty("state").GetString(), Is.EqualTo("WaitingForInvoice"), "caught while it waits");

        await page.GotoAsync($"/tenants/{_mesh.Tenant}/payments/{_mesh.MeshId(payment)}");
        await Expect(page.Locator("#payment-state")).ToHaveTextAsync("WaitingForInvoice");
        await page.EvaluateAsync("() => { window.notReloaded = true; }");

        await Expect(page.Locator("#payment-state")).ToHaveTextAsync("NeedsAttention");
        await Expect(page.Locator("#live-status")).ToHaveTextAsync($"Payment {payment.PaymentId}: NeedsAttention");
        await Expect(page.Locator("#live-status")).ToHaveAttributeAsync("aria-live", "polite");
        Assert.That(await page.EvaluateAsync<bool>("() => window.notReloaded === true"), Is.True, "refreshed in place, not reloaded");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Retry" })).ToBeVisibleAsync();
    }
}
