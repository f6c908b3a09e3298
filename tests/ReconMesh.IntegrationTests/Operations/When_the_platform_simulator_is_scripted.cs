using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;
using ReconMesh.Contracts.Payments;
using ReconMesh.Contracts.Payouts;
using ReconMesh.IntegrationTests.Infrastructure;

namespace ReconMesh.IntegrationTests.Operations;

/// <summary>
/// The payment platform simulator's contract, over HTTP and on a real RabbitMQ: each scripted case (ACH, card with
/// the fee absorbed or passed on, installments, a payment over several invoices, a failure, a refund, a chargeback,
/// a payout that nets fees and takes reversals back) publishes the platform's event with the amounts the platform
/// would report, and a request it cannot honour is refused with problem details.
/// </summary>
[TestFixture]
public sealed class When_the_platform_simulator_is_scripted
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly ConcurrentQueue<object> _published = new();
    private Mesh _mesh = null!;
    private HostReceiveEndpointHandle _listener = null!;
    private readonly string _tenant = $"tenant-{Guid.NewGuid():N}";

    [OneTimeSetUp]
    public async Task Start()
    {
        _mesh = await Mesh.StartSandboxAsync();
        _listener = _mesh.PlatformBus.ConnectReceiveEndpoint($"platform-contract-{Guid.NewGuid():N}", e =>
        {
            e.Handler<PaymentProcessed>(c => Keep(c.Message));
            e.Handler<PaymentFailed>(c => Keep(c.Message));
            e.Handler<PaymentRefunded>(c => Keep(c.Message));
            e.Handler<PaymentChargedBack>(c => Keep(c.Message));
            e.Handler<PayoutPaid>(c => Keep(c.Message));
        });
        await _listener.Ready;
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _listener.StopAsync();
        await _mesh.DisposeAsync();
    }

    [TestCase("Ach", false, 1000.00, 5.00, 0.00)]
    [TestCase("Ach", false, 250.00, 2.00, 0.00)]
    [TestCase("Card", false, 100.00, 3.20, 0.00)]
    [TestCase("Card", true, 100.00, 3.20, 3.20)]
    [TestCase("Installments", false, 1200.00, 36.00, 0.00)]
    public async Task A_payment_is_published_with_the_platforms_fee_and_any_surcharge(string method, bool passOn, decimal amount, decimal fee,
        decimal surcharge)
    {
        var payment = await PayAsync(method, passOn, (Guid.NewGuid(), amount));

        Assert.That(payment.Fee, Is.EqualTo(fee));
        Assert.That(payment.Surcharge, Is.EqualTo(surcharge));
        Assert.That(payment.Amount, Is.EqualTo(amount), "the amount is what goes to the invoices; a surcharge is on top");
        var published = await PublishedAsync<PaymentProcessed>(p => p.PaymentId == payment.PaymentId);
        Assert.That((published.Amount, published.Fee, published.Surcharge, published.Method.ToString()), Is.EqualTo((amount, fee, surcharge, method)));
    }

    [Test]
    public async Task One_payment_can_pay_several_invoices()
    {
        var payment = await PayAsync("Ach", false, (Guid.NewGuid(), 10.00m), (Guid.NewGuid(), 20.00m), (Guid.NewGuid(), 30.01m));

        Assert.That(payment.Amount, Is.EqualTo(60.01m));
        Assert.That(payment.Allocations.Select(a => a.Amount), Is.EqualTo(new[] { 10.00m, 20.00m, 30.01m }));
    }

    [Test]
    public async Task A_failure_a_refund_and_a_chargeback_are_each_published_for_the_whole_payment()
    {
        var returned = await PayAsync("Ach", false, (Guid.NewGuid(), 80.00m));
        var refunded = await PayAsync("Card", true, (Guid.NewGuid(), 100.00m));
        var disputed = await PayAsync("Card", false, (Guid.NewGuid(), 40.00m));

        var failed = await PostAsync<PaymentFailed>($"/platform/payments/{returned.PaymentId}/fail", new { tenantId = _tenant, code = "R01" });
        var refund = await PostAsync<PaymentRefunded>($"/platform/payments/{refunded.PaymentId}/refund", new { tenantId = _tenant, reason = "cancelled" });
        var chargeback = await PostAsync<PaymentChargedBack>($"/platform/payments/{disputed.PaymentId}/chargeback", new { tenantId = _tenant });

        Assert.That(failed.FailureCode, Is.EqualTo("R01"));
        Assert.That(refund.Amount, Is.EqualTo(103.20m), "the amount and the surcharge go back");
        Assert.That(chargeback.Amount, Is.EqualTo(40.00m));
        Assert.That(chargeback.ReasonCode, Is.Not.Empty);
        Assert.That(await PublishedAsync<PaymentFailed>(p => p.PaymentId == returned.PaymentId), Is.EqualTo(failed));
        Assert.That(await PublishedAsync<PaymentRefunded>(p => p.PaymentId == refunded.PaymentId), Is.EqualTo(refund));
        Assert.That(await PublishedAsync<PaymentChargedBack>(p => p.PaymentId == disputed.PaymentId), Is.EqualTo(chargeback));
    }

    [Test]
    public async Task A_payout_nets_the_fees_and_takes_reversals_back()
    {
        var earlier = await PayAsync("Card", false, (Guid.NewGuid(), 50.00m));
        var absorbed = await PayAsync("Card", false, (Guid.NewGuid(), 500.00m));
        var surcharged = await PayAsync("Card", true, (Guid.NewGuid(), 300.00m));

        var payout = await PostAsync<PayoutPaid>("/platform/payouts", new
        {
            tenantId = _tenant, paymentIds = new[] { absorbed.PaymentId, surcharged.PaymentId },
            reversals = new[] { new { paymentId = earlier.PaymentId, kind = "ChargedBack" } },
        });

        Assert.That(payout.Amount, Is.EqualTo(500.00m - 14.80m + 300.00m + 9.00m - 9.00m - 50.00m));
        Assert.That(payout.Payments.Select(p => (p.PaymentId, p.Amount, p.Fee, p.Surcharge)), Is.EqualTo(new[]
        {
            (absorbed.PaymentId, 500.00m, 14.80m, 0.00m), (surcharged.PaymentId, 300.00m, 9.00m, 9.00m),
        }));
        Assert.That(payout.Reversals!.Single(), Is.EqualTo(new PayoutReversal(earlier.PaymentId, 50.00m, PaymentReversalKind.ChargedBack)));
        Assert.That((await PublishedAsync<PayoutPaid>(p => p.PayoutId == payout.PayoutId)).Amount, Is.EqualTo(payout.Amount));
    }

    [TestCase("/platform/payments/pay_unknown/fail", HttpStatusCode.NotFound)]
    [TestCase("/platform/payments/pay_unknown/refund", HttpStatusCode.NotFound)]
    [TestCase("/platform/payments/pay_unknown/chargeback", HttpStatusCode.NotFound)]
    public async Task Something_about_a_payment_the_platform_never_took_is_refused(string path, HttpStatusCode expected)
    {
        using var response = await _mesh.Sandbox.PostAsJsonAsync(path, new { tenantId = _tenant });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(response.StatusCode, Is.EqualTo(expected));
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("pay_unknown"));
    }

    [Test]
    public async Task A_payout_of_payments_the_platform_never_took_or_without_any_is_refused()
    {
        using var unknown = await _mesh.Sandbox.PostAsJsonAsync("/platform/payouts", new { tenantId = _tenant, paymentIds = new[] { "pay_unknown" } });
        using var empty = await _mesh.Sandbox.PostAsJsonAsync("/platform/payouts", new { tenantId = _tenant, paymentIds = Array.Empty<string>() });
        using var noPayment = await _mesh.Sandbox.PostAsJsonAsync("/platform/payments", new { tenantId = _tenant, method = "Ach" }, Json);

        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(empty.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(noPayment.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    private Task Keep(object message)
    {
        _published.Enqueue(message);
        return Task.CompletedTask;
    }

    private async Task<PaymentProcessed> PayAsync(string method, bool passFeeToCustomer, params (Guid InvoiceId, decimal Amount)[] allocations)
    {
        var answer = await PostAsync<JsonElement>("/platform/payments", new
        {
            tenantId = _tenant, method, passFeeToCustomer,
            allocations = allocations.Select(a => new { invoiceId = a.InvoiceId, amount = a.Amount }).ToArray(),
        });
        return answer.Deserialize<PaymentProcessed>(Json)!;
    }

    private async Task<T> PostAsync<T>(string path, object body)
    {
        using var response = await _mesh.Sandbox.PostAsJsonAsync(path, body, Json);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }

    private async Task<T> PublishedAsync<T>(Func<T, bool> which)
        where T : class =>
        (await Eventually.Until(() => Task.FromResult(_published.OfType<T>().FirstOrDefault(which)), m => m is not null,
            $"a {typeof(T).Name} on the bus"))!;
}
