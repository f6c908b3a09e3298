using Microsoft.Playwright;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.ServiceDefaults.Security;
using static Microsoft.Playwright.Assertions;
using static ReconMesh.IntegrationTests.Browser.ConsoleSteps;

namespace ReconMesh.IntegrationTests.Browser;

/// <summary>Bad input at the console: each answered clearly, nothing done.</summary>
public sealed partial class When_an_operator_uses_the_console
{
    [Test]
    public async Task A_person_of_another_tenant_sees_none_of_it()
    {
        var (invoice, payment) = await VoidedInvoicePaidAsync(_mesh);
        var other = $"other-{Guid.NewGuid():N}"[..20];
        var page = await _console.SignedInAsync(ConsoleHarness.Token(AccessRoles.Write, other));

        await Expect(page.GetByRole(AriaRole.Region, new() { Name = other })).ToContainTextAsync("No connections yet");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = _mesh.Tenant })).ToHaveCountAsync(0);
        await OpenExceptionsAsync(page, other);
        await Expect(page.Locator("#no-exceptions")).ToBeVisibleAsync();
        await ConsoleHarness.ScreenshotAsync(page, "exceptions-empty");

        var id = _mesh.MeshId(payment);
        foreach (var path in new[]
                 {
                     $"/tenants/{_mesh.Tenant}/exceptions", $"/tenants/{_mesh.Tenant}/payments/{id}", $"/tenants/{_mesh.Tenant}/exceptions/{id}/retry",
                     $"/tenants/{_mesh.Tenant}/connections/{_mesh.ConnectionId}", $"/tenants/{_mesh.Tenant}/invoices/{invoice.InvoiceId}",
                     // The other tenant's own address with the first tenant's ids: the services find nothing of theirs.
                     $"/tenants/{other}/payments/{id}", $"/tenants/{other}/connections/{_mesh.ConnectionId}", $"/tenants/{other}/invoices/{invoice.InvoiceId}",
                 })
        {
            await NotFoundPageAsync(page, path);
        }

        await page.GotoAsync($"/tenants/{other}/find?payment={payment.PaymentId}");
        await Expect(page.Locator("#nothing-found")).ToContainTextAsync("has no payment");
        await page.GotoAsync($"/tenants/{other}/find?invoice={Uri.EscapeDataString(invoice.Number)}");
        await Expect(page.Locator("#nothing-found")).ToContainTextAsync("has no invoice numbered");
        await NotFoundPageAsync(page, $"/tenants/{_mesh.Tenant}/find?payment={payment.PaymentId}");
        await ConsoleHarness.ScreenshotAsync(page, "not-found");
        Assert.That(await StoryAsync(_mesh, payment), Is.EqualTo(new[] { "writeback_needs_attention" }));
    }

    [Test]
    public async Task Unknown_ids_and_malformed_addresses_are_not_found()
    {
        var page = await WriterAsync();

        foreach (var path in new[]
                 {
                     $"/tenants/{_mesh.Tenant}/payments/{Guid.NewGuid()}", $"/tenants/{_mesh.Tenant}/invoices/{Guid.NewGuid()}",
                     $"/tenants/{_mesh.Tenant}/connections/{Guid.NewGuid()}", $"/tenants/{_mesh.Tenant}/exceptions/{Guid.NewGuid()}/retry",
                     $"/tenants/{_mesh.Tenant}/payments/not-a-guid", $"/tenants/{new string('x', 65)}/exceptions", "/tenants/a%2Fb/exceptions",
                     $"/tenants/{_mesh.Tenant}/connections/{_mesh.ConnectionId}?act=delete", "/no/such/page",
                 })
        {
            await NotFoundPageAsync(page, path);
        }

        await page.GotoAsync($"/tenants/{_mesh.Tenant}/find?payment=pay_nobody_made");
        await Expect(page.Locator("#nothing-found")).ToContainTextAsync("has no payment 'pay_nobody_made'");
        await page.GotoAsync($"/tenants/{_mesh.Tenant}/find?invoice=NO-SUCH-NUMBER");
        await Expect(page.Locator("#nothing-found")).ToContainTextAsync("has no invoice numbered 'NO-SUCH-NUMBER'");
    }

    [Test]
    public async Task A_reader_sees_the_queue_but_may_not_retry_or_dismiss()
    {
        var (_, payment) = await VoidedInvoicePaidAsync(_mesh);
        var page = await _console.SignedInAsync(ConsoleHarness.Token(AccessRoles.Read, _mesh.Tenant));

        await OpenExceptionsAsync(page, _mesh.Tenant);
        await Expect(ExceptionRow(page, payment)).ToBeVisibleAsync();
        await Expect(ExceptionRow(page, payment).GetByRole(AriaRole.Link, new() { Name = $"Retry payment {payment.PaymentId}" })).ToHaveCountAsync(0);
        await page.GotoAsync($"/tenants/{_mesh.Tenant}/exceptions/{_mesh.MeshId(payment)}/retry");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed" })).ToBeVisibleAsync();
        await page.GotoAsync($"/tenants/{_mesh.Tenant}/connections/{_mesh.ConnectionId}?act=pause");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed" })).ToBeVisibleAsync();

        Assert.That(await StoryAsync(_mesh, payment), Is.EqualTo(new[] { "writeback_needs_attention" }));
    }

    [Test]
    public async Task An_expired_session_is_told_to_sign_in_again_and_nothing_is_done()
    {
        var (_, payment) = await VoidedInvoicePaidAsync(_mesh);
        var page = await WriterAsync();
        await page.GotoAsync($"/tenants/{_mesh.Tenant}/exceptions/{_mesh.MeshId(payment)}/retry");
        var retry = page.GetByRole(AriaRole.Button, new() { Name = $"Retry payment {payment.PaymentId}" });
        await Expect(retry).ToBeVisibleAsync();

        _console.Clock.Offset = TimeSpan.FromHours(2); // the token expired an hour ago
        try
        {
            await retry.ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your session ended" })).ToBeVisibleAsync();
            await Expect(page.Locator("main")).ToContainTextAsync("Nothing you asked for after that was done");
            await ConsoleHarness.ScreenshotAsync(page, "session-ended");
            await page.GotoAsync("/");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Exact = true })).ToBeVisibleAsync();
        }
        finally
        {
            _console.Clock.Offset = TimeSpan.Zero;
        }

        Assert.That(await StoryAsync(_mesh, payment), Is.EqualTo(new[] { "writeback_needs_attention" }), "nothing was retried");
    }

    [Test]
    public async Task A_token_the_services_would_refuse_does_not_sign_in_and_says_why()
    {
        var now = DateTimeOffset.UtcNow;
        var cases = new (string Token, string Why)[]
        {
            (TestAuth.Token(new TokenRequest("x", [_mesh.Tenant], [AccessRoles.Write], TestAuth.Issuer, TestAuth.Audience, now.AddHours(-2), now.AddHours(-1))),
                "The token has expired."),
            (TestAuth.Token(new TokenRequest("x", [_mesh.Tenant], [AccessRoles.Write], TestAuth.Issuer, "another-api", now.AddMinutes(-1), now.AddHours(1))),
                "meant for another audience"),
            (AccessTokens.Mint(AccessTokens.NewKey(), TestAuth.Request([_mesh.Tenant], AccessRoles.Write)), "not signed by the issuer's keys"),
            ("not-a-token", "This is not a token"),
        };
        var page = await _console.AnonymousAsync();
        foreach (var (token, why) in cases)
        {
            await page.GotoAsync("/signin");
            await page.GetByRole(AriaRole.Textbox, new() { Name = "Access token", Exact = true }).FillAsync(token);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Expect(page.Locator("#sign-in-problem")).ToContainTextAsync(why);
            Assert.That(await page.Locator("#token").InputValueAsync(), Is.Empty, "the token is not shown back");
        }

        await ConsoleHarness.ScreenshotAsync(page, "sign-in-refused");
        await page.GotoAsync($"/tenants/{_mesh.Tenant}/exceptions");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Exact = true })).ToBeVisibleAsync();
    }
}
