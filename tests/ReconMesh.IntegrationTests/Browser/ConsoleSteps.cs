using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Contracts.Payments;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.IntegrationTests.Payments;
using static Microsoft.Playwright.Assertions;

namespace ReconMesh.IntegrationTests.Browser;

/// <summary>What the console's tests do to the mesh behind it (the scenarios' own steps) and in the browser.</summary>
internal static class ConsoleSteps
{
    /// <summary>
    /// An invoice voided in QuickBooks, then paid on the platform: its payment waits in the exceptions queue (the setup of
    /// <see cref="When_the_platform_reports_payments.An_invoice_voided_before_writeback_needs_attention_and_nothing_is_written"/>).
    /// </summary>
    public static async Task<(InvoiceSynced Invoice, PaymentProcessed Payment)> VoidedInvoicePaidAsync(PaymentScenarioHarness mesh)
    {
        var invoice = await mesh.TakeInvoiceAsync();
        await mesh.VoidInvoiceAsync(invoice.ExternalId);
        var payment = await mesh.PayAsync((invoice.InvoiceId, invoice.Total));
        var settled = await mesh.SettledAsync(payment, "NeedsAttention");
        Assert.That(settled.GetProperty("reasonCode").GetString(), Is.EqualTo("invoice-voided"));
        return (invoice, payment);
    }

    /// <summary>The events of the payment's story as WritebackService holds it.</summary>
    public static async Task<List<string>> StoryAsync(PaymentScenarioHarness mesh, PaymentProcessed payment) =>
        [.. PaymentScenarioHarness.Story((await mesh.PaymentAsync(mesh.MeshId(payment)))!.Value)];

    /// <summary>A new invoice raised in the QuickBooks company (its external id, total and mesh id).</summary>
    public static async Task<(string ExternalId, decimal Total, Guid InvoiceId)> RaiseInvoiceAsync(PaymentScenarioHarness mesh, int seed)
    {
        using var seeded = await mesh.Sandbox.PostAsJsonAsync($"/admin/qbo/companies/{PaymentScenarioHarness.Realm}/seed",
            new { customers = 1, invoices = 1, currency = "USD", seed });
        seeded.EnsureSuccessStatusCode();
        var externalId = (await seeded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("invoices")[0].GetString()!;
        var total = PaymentScenarioHarness.Invoice(await mesh.BooksAsync(), externalId).GetProperty("totalAmt").GetDecimal();
        return (externalId, total, mesh.InvoiceIdFor(externalId));
    }

    /// <summary>Waits until InvoiceIngest holds the invoice (synced from its integration).</summary>
    public static Task InvoiceSyncedAsync(PaymentScenarioHarness mesh, Guid invoiceId) =>
        Eventually.Until(async () =>
        {
            using var response = await mesh.InvoiceIngest.GetAsync($"/tenants/{mesh.Tenant}/invoices/{invoiceId}");
            return response.IsSuccessStatusCode;
        }, synced => synced, $"invoice {invoiceId} to sync");

    /// <summary>The exceptions queue's row of the payment.</summary>
    public static ILocator ExceptionRow(IPage page, PaymentProcessed payment) => page.Locator($"tr[data-payment='{payment.PaymentId}']");

    public static async Task OpenExceptionsAsync(IPage page, string tenant)
    {
        await page.GotoAsync($"/tenants/{tenant}/exceptions");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Exceptions of {tenant}" })).ToBeVisibleAsync();
    }

    /// <summary>Reloads the payment's page until it shows <paramref name="state"/> (its background work moves it on).</summary>
    public static async Task PaymentPageShowsAsync(IPage page, PaymentScenarioHarness mesh, PaymentProcessed payment, string state)
    {
        await mesh.SettledAsync(payment, state);
        await page.ReloadAsync();
        await Expect(page.Locator("#payment-state")).ToHaveTextAsync(state);
    }

    public static async Task NotFoundPageAsync(IPage page, string path)
    {
        var response = await page.GotoAsync(path);
        Assert.That(response!.Status, Is.EqualTo(404), path);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();
    }
}
