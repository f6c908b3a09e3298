using Microsoft.Playwright;
using ReconMesh.IntegrationTests.Payments;
using ReconMesh.ServiceDefaults.Security;
using static Microsoft.Playwright.Assertions;
using static ReconMesh.IntegrationTests.Browser.ConsoleSteps;

namespace ReconMesh.IntegrationTests.Browser;

/// <summary>
/// The operator console in real Chromium, in front of the mesh on the real RabbitMQ and PostgreSQL: a person signs in
/// with a token of the issuer, sees the exceptions a voided invoice causes, dismisses one, retries another once its
/// cause is fixed and sees it applied, pauses and resumes a connection, and follows a payment's story. Each page is
/// photographed for docs/console.md.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class When_an_operator_uses_the_console
{
    private ConsoleHarness _console = null!;
    private PaymentScenarioHarness _mesh = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        SetDefaultExpectTimeout(30_000);
        _console = await ConsoleHarness.StartAsync();
        _mesh = _console.Mesh;
    }

    [OneTimeTearDown]
    public async Task Stop() => await _console.DisposeAsync();

    [TearDown]
    public void ShowTheConsolesFailures()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
        {
            foreach (var line in _console.ConsoleLogs.Where(l => l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal)))
            {
                TestContext.Out.WriteLine($"[console] {line}");
            }
        }
    }

    private Task<IPage> WriterAsync() => _console.SignedInAsync(ConsoleHarness.Token(AccessRoles.Write, _mesh.Tenant));

    [Test]
    public async Task Signing_in_shows_each_tenants_connections_payments_and_exceptions()
    {
        var anonymous = await _console.AnonymousAsync();
        await anonymous.GotoAsync("/");
        await Expect(anonymous.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Exact = true })).ToBeVisibleAsync();
        await ConsoleHarness.ScreenshotAsync(anonymous, "sign-in");

        var page = await WriterAsync();

        var tenant = page.GetByRole(AriaRole.Region, new() { Name = _mesh.Tenant });
        await Expect(tenant.GetByRole(AriaRole.Heading, new() { Name = "Connections" })).ToBeVisibleAsync();
        await Expect(tenant.GetByRole(AriaRole.Link, new() { Name = "QuickBooksOnline" })).ToBeVisibleAsync();
        await Expect(tenant.GetByRole(AriaRole.Cell, new() { Name = "Active" })).ToBeVisibleAsync();
        await Expect(page).Not.ToHaveURLAsync(new System.Text.RegularExpressions.Regex("token="));
        Assert.That(await page.ContentAsync(), Does.Not.Contain(PaymentScenarioHarness.Token), "no secret is shown");
        await ConsoleHarness.ScreenshotAsync(page, "overview");
    }

    [Test]
    public async Task An_exception_of_a_voided_invoice_is_shown_and_dismissed_with_a_note()
    {
        var (invoice, payment) = await VoidedInvoicePaidAsync(_mesh);
        var page = await WriterAsync();

        await OpenExceptionsAsync(page, _mesh.Tenant);
        var row = ExceptionRow(page, payment);
        await Expect(row).ToContainTextAsync("invoice-voided");
        await Expect(row).ToContainTextAsync(invoice.Number);
        await Expect(row).ToContainTextAsync(invoice.CustomerName);
        await ConsoleHarness.ScreenshotAsync(page, "exceptions");

        await row.GetByRole(AriaRole.Link, new() { Name = $"Dismiss payment {payment.PaymentId}" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Dismiss payment {payment.PaymentId}" })).ToBeVisibleAsync();
        await ConsoleHarness.ScreenshotAsync(page, "dismiss");
        // The browser would refuse an empty required note; the server must too.
        await page.Locator("#note").EvaluateAsync("n => n.removeAttribute('required')");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Dismiss payment {payment.PaymentId}" }).ClickAsync();
        await Expect(page.Locator("#note-error")).ToContainTextAsync("Say why");
        Assert.That(await StoryAsync(_mesh, payment), Is.EqualTo(new[] { "writeback_needs_attention" }), "nothing was done without a note");

        await page.GetByLabel("Why does it need nothing more?").FillAsync("Voided on purpose: the customer is refunded");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Dismiss payment {payment.PaymentId}" }).ClickAsync();

        await Expect(page.Locator("#done")).ToContainTextAsync("Dismissed");
        await PaymentPageShowsAsync(page, _mesh, payment, "DismissedByPerson");
        await Expect(page.Locator("tr[data-event='exception_dismissed']")).ToContainTextAsync("Voided on purpose: the customer is refunded");
        await ConsoleHarness.ScreenshotAsync(page, "payment-story");
    }

    [Test]
    public async Task A_connection_paused_while_an_invoice_was_raised_is_resumed_and_the_payment_waiting_for_it_retried_is_applied()
    {
        var page = await WriterAsync();
        await page.GetByRole(AriaRole.Region, new() { Name = _mesh.Tenant }).GetByRole(AriaRole.Link, new() { Name = "QuickBooksOnline" }).ClickAsync();
        await Expect(page.Locator("#connection-status")).ToHaveTextAsync("Active");
        await page.GetByRole(AriaRole.Link, new() { Name = "Pause" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        await Expect(page.Locator("#done")).ToContainTextAsync("Paused");
        await Expect(page.Locator("#connection-status")).ToHaveTextAsync("PausedByOperator");
        await ConsoleHarness.ScreenshotAsync(page, "connection-paused");

        // Raised in QuickBooks and paid while nothing is read from QuickBooks: the payment waits for it, then needs a person.
        var raised = await RaiseInvoiceAsync(_mesh, seed: 2001);
        var payment = await _mesh.PayAsync((raised.InvoiceId, raised.Total));
        await _mesh.SettledAsync(payment, "NeedsAttention");
        await OpenExceptionsAsync(page, _mesh.Tenant);
        await Expect(ExceptionRow(page, payment)).ToContainTextAsync("invoice-not-synced");

        // The cause fixed: the connection resumed, the invoice synced.
        await page.GotoAsync($"/tenants/{_mesh.Tenant}/connections/{_mesh.ConnectionId}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Resume" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
        await Expect(page.Locator("#connection-status")).ToHaveTextAsync("Active");
        await ConsoleHarness.ScreenshotAsync(page, "connection");
        await InvoiceSyncedAsync(_mesh, raised.InvoiceId);

        await OpenExceptionsAsync(page, _mesh.Tenant);
        await ExceptionRow(page, payment).GetByRole(AriaRole.Link, new() { Name = $"Retry payment {payment.PaymentId}" }).ClickAsync();
        var confirmation = page.Url;
        var secondTab = await page.Context.NewPageAsync();
        await secondTab.GotoAsync(confirmation);
        await page.GetByLabel("What did you fix?").FillAsync("Resumed the connection; the invoice is synced");
        await ConsoleHarness.ScreenshotAsync(page, "retry");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Retry payment {payment.PaymentId}" }).ClickAsync();

        await Expect(page.Locator("#done")).ToContainTextAsync("Retry requested");
        await PaymentPageShowsAsync(page, _mesh, payment, "Applied");
        await Expect(page.Locator("tr[data-event='exception_retry_requested']")).ToContainTextAsync("Resumed the connection; the invoice is synced");
        await Expect(page.Locator("tr[data-event='payment_written_back']")).ToBeVisibleAsync();
        await ConsoleHarness.ScreenshotAsync(page, "payment-applied");

        // The same confirmation, open in another tab since before the retry: WritebackService says it is not waiting any more.
        await secondTab.GetByRole(AriaRole.Button, new() { Name = $"Retry payment {payment.PaymentId}" }).ClickAsync();
        await Expect(secondTab.Locator("#done")).ToContainTextAsync("Nothing was done: this payment is no longer waiting for a person");
        Assert.That((await StoryAsync(_mesh, payment)).Count(e => e == "exception_retry_requested"), Is.EqualTo(1));
        Assert.That(PaymentScenarioHarness.LivePaymentsFor(await _mesh.BooksAsync(), raised.ExternalId), Has.Count.EqualTo(1), "booked once");
    }

    [Test]
    public async Task A_double_clicked_retry_is_sent_once_and_the_page_says_so()
    {
        var (_, payment) = await VoidedInvoicePaidAsync(_mesh);
        var page = await WriterAsync();
        await page.GotoAsync($"/tenants/{_mesh.Tenant}/exceptions/{_mesh.MeshId(payment)}/retry");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Retry payment {payment.PaymentId}" }).DblClickAsync();

        await Expect(page.Locator("#done")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("Retry requested|nothing was done twice"));
        // The retry meets the voided invoice again: back in the queue, after exactly one retry.
        var again = await Infrastructure.Eventually.Until(() => StoryAsync(_mesh, payment),
            s => s.Count(e => e == "writeback_needs_attention") == 2, "the retry to need attention again");
        Assert.That(again.Count(e => e == "exception_retry_requested"), Is.EqualTo(1), string.Join(", ", again));
    }

    [Test]
    public async Task The_story_of_a_payment_found_by_its_platform_id_shows_every_event_with_its_times_ids_and_trace()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        var payment = await _mesh.PayAsync((invoice.InvoiceId, invoice.Total));
        await _mesh.SettledAsync(payment, "Applied");
        var page = await WriterAsync();

        await page.GetByRole(AriaRole.Region, new() { Name = _mesh.Tenant }).GetByRole(AriaRole.Link, new() { Name = "Find a payment, invoice or customer" }).ClickAsync();
        await page.GetByLabel("The platform's payment id").FillAsync(payment.PaymentId);
        await ConsoleHarness.ScreenshotAsync(page, "find");
        await page.GetByRole(AriaRole.Button, new() { Name = "Find the payment" }).ClickAsync();

        await Expect(page.Locator("#payment-state")).ToHaveTextAsync("Applied");
        var written = page.Locator("tr[data-event='payment_written_back']");
        await Expect(written).ToContainTextAsync("QuickBooksOnline");
        await Expect(written.Locator("time")).ToBeVisibleAsync();
        await Expect(written.Locator("code")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9a-f]{32}$"));
        await page.GetByRole(AriaRole.Link, new() { Name = invoice.Number }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Invoice {invoice.Number}" })).ToBeVisibleAsync();
        await Expect(page.Locator("tr[data-event='invoice_imported']")).ToBeVisibleAsync();
        await ConsoleHarness.ScreenshotAsync(page, "invoice");

        await page.GotoAsync($"/tenants/{_mesh.Tenant}/find");
        await page.GetByLabel("Invoice number").FillAsync(invoice.Number);
        await page.GetByRole(AriaRole.Button, new() { Name = "Find the invoice" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Invoice {invoice.Number}" })).ToBeVisibleAsync();
    }
}
