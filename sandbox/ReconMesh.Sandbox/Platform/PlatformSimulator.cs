using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using ReconMesh.Contracts.Payments;

namespace ReconMesh.Sandbox.Platform;

/// <summary>
/// The payment platform, simulated: it hears the invoices the mesh syncs, lets simulated customers pay them, and
/// publishes PaymentProcessed onto RabbitMQ as the real platform does.
/// </summary>
public static class PlatformSimulator
{
    public sealed record AllocationRequest(Guid InvoiceId, decimal Amount);

    /// <summary>
    /// A payment to make. <c>Delivery</c>: "bus" (default, PaymentProcessed on RabbitMQ), "webhook" (the signed HTTP
    /// webhook) or "json" (the webhook's envelope as plain JSON on the platform's JSON exchange, as a platform that is not
    /// .NET publishes it). <c>PassFeeToCustomer</c>: the customer pays the fee on top, as a surcharge.
    /// </summary>
    public sealed record PaymentRequest(string TenantId, PaymentMethod Method, IReadOnlyList<AllocationRequest> Allocations, string? PaymentId = null,
        decimal? Fee = null, string? Delivery = null, bool PassFeeToCustomer = false);

    public sealed record WebhookTargetRequest(Uri Url, string Secret);

    public sealed record PayOpenInvoicesRequest(string TenantId, PaymentMethod Method = PaymentMethod.Ach);

    public static void AddPlatformConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<InvoiceSyncedListener, InvoiceSyncedListenerDefinition>();
        bus.AddConsumer<PaymentOutcomeListener, PaymentOutcomeListenerDefinition>();
    }

    public static IEndpointRouteBuilder MapPlatformSimulator(this IEndpointRouteBuilder endpoints)
    {
        var platform = endpoints.MapGroup("/platform").WithTags("Payment platform simulator");
        platform.MapGet("/invoices", (string? tenantId, PlatformCatalog catalog) => Results.Ok(catalog.Invoices(tenantId)));
        platform.MapGet("/invoices/progress", (string tenantId, PlatformCatalog catalog) => Results.Ok(catalog.Progress(tenantId)));
        platform.MapGet("/payments", (string? tenantId, PlatformCatalog catalog) => Results.Ok(catalog.Payments(tenantId)));
        platform.MapPost("/payments", PayAsync);
        platform.MapPost("/scenarios/pay-open-invoices", PayOpenInvoicesAsync);
        platform.MapPost("/payments/{paymentId}/fail", FailAsync);
        platform.MapPost("/payments/{paymentId}/refund", RefundAsync);
        platform.MapPost("/payments/{paymentId}/chargeback", ChargeBackAsync);
        platform.MapGet("/payouts", (string? tenantId, PlatformCatalog catalog) => Results.Ok(catalog.Payouts(tenantId)));
        platform.MapPost("/payouts", PayOutAsync);
        endpoints.MapPut("/admin/platform/webhook", (WebhookTargetRequest target, PlatformWebhookSender sender) =>
        {
            if (!target.Url.IsAbsoluteUri || string.IsNullOrEmpty(target.Secret))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["webhook"] = ["url (absolute) and secret are required"] });
            }

            sender.Configure(new PlatformWebhookSender.Target(target.Url, target.Secret));
            return Results.NoContent();
        }).WithTags("Payment platform simulator");
        endpoints.MapDelete("/admin/platform/webhook", (PlatformWebhookSender sender) =>
        {
            sender.Configure(null);
            return Results.NoContent();
        }).WithTags("Payment platform simulator");
        return endpoints;
    }

    private static async Task<IResult> PayAsync(PaymentRequest request, PlatformCatalog catalog, PlatformDoors doors, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.TenantId) || request.Allocations is not { Count: > 0 })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["request"] = ["tenantId and at least one allocation are required"],
            });
        }

        if (doors.Refusal(request.Delivery) is { } refused)
        {
            return refused;
        }

        var currency = request.Allocations.Select(a => catalog.Invoice(a.InvoiceId)?.Currency).FirstOrDefault(c => c is not null) ?? "USD";
        var amount = request.Allocations.Sum(a => a.Amount);
        var fee = request.Fee ?? Fees.For(request.Method, amount);
        var payment = new PaymentProcessed(
            request.PaymentId ?? $"pay_{NewId.NextGuid():N}", request.TenantId, request.Method, currency, amount, fee,
            [.. request.Allocations.Select(a => new PaymentAllocation(a.InvoiceId, a.Amount))], clock.GetUtcNow(),
            request.PassFeeToCustomer ? fee : 0m);
        catalog.Sent(payment);
        return await doors.DeliverAsync("payment.processed", payment, request.Delivery, cancellationToken, answerName: "payment");
    }

    private static async Task<Ok<PayOpenInvoicesResult>> PayOpenInvoicesAsync(
        PayOpenInvoicesRequest request, PlatformCatalog catalog, IPublishEndpoint bus, TimeProvider clock, CancellationToken cancellationToken)
    {
        var open = catalog.Invoices(request.TenantId).Where(i => i.Balance > 0m).ToList();
        var paid = new List<PaymentProcessed>(open.Count);
        foreach (var invoice in open)
        {
            var payment = new PaymentProcessed($"pay_{NewId.NextGuid():N}", invoice.TenantId, request.Method, invoice.Currency, invoice.Balance,
                Fees.For(request.Method, invoice.Balance), [new PaymentAllocation(invoice.InvoiceId, invoice.Balance)], clock.GetUtcNow());
            catalog.Sent(payment);
            paid.Add(payment);
        }

        await bus.PublishBatch(paid, cancellationToken);
        return TypedResults.Ok(new PayOpenInvoicesResult(paid.Count, paid.Sum(p => p.Amount), [.. paid.Select(p => p.PaymentId)]));
    }

    public sealed record PayOpenInvoicesResult(int Payments, decimal Total, IReadOnlyList<string> PaymentIds);

    /// <summary>An ACH return. <c>Delivery</c>, here and in the refund and the chargeback: the door, as for a payment (bus, webhook or json).</summary>
    public sealed record FailRequest(string TenantId, string? Code, string? Reason, string? Delivery = null);

    public sealed record RefundRequest(string TenantId, string? Reason, string? RefundId = null, string? Delivery = null);

    public sealed record ChargebackRequest(string TenantId, string? ReasonCode, string? Reason, string? ChargebackId = null, string? Delivery = null);

    /// <summary>A payout of <c>PaymentIds</c>, taking back <c>Reversals</c> (earlier payments since refunded, charged back or returned).</summary>
    public sealed record PayoutRequest(string TenantId, IReadOnlyList<string> PaymentIds, string? PayoutId = null,
        IReadOnlyList<ReversalToNet>? Reversals = null);

    public sealed record ReversalToNet(string PaymentId, PaymentReversalKind Kind = PaymentReversalKind.Refunded);

    /// <summary>The payment fails after all (an ACH return): the platform publishes PaymentFailed.</summary>
    private static async Task<IResult> FailAsync(string paymentId, FailRequest request, PlatformCatalog catalog, PlatformDoors doors, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (catalog.Payment(request.TenantId, paymentId) is null)
        {
            return UnknownPayment(paymentId, request.TenantId);
        }

        var failed = new PaymentFailed(paymentId, request.TenantId, request.Code ?? "R01", request.Reason ?? "Insufficient funds", clock.GetUtcNow());
        return await doors.DeliverAsync("payment.failed", failed, request.Delivery, cancellationToken);
    }

    /// <summary>The partner refunds the whole payment to the customer: the platform publishes PaymentRefunded.</summary>
    private static async Task<IResult> RefundAsync(string paymentId, RefundRequest request, PlatformCatalog catalog, PlatformDoors doors,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (catalog.Payment(request.TenantId, paymentId) is not { } record)
        {
            return UnknownPayment(paymentId, request.TenantId);
        }

        var refunded = new PaymentRefunded(paymentId, request.TenantId, request.RefundId ?? $"re_{NewId.NextGuid():N}", record.Payment.Currency,
            record.Payment.Amount + record.Payment.Surcharge, request.Reason ?? "Requested by the customer", clock.GetUtcNow());
        return await doors.DeliverAsync("payment.refunded", refunded, request.Delivery, cancellationToken);
    }

    /// <summary>The customer's dispute takes the whole payment back: the platform publishes PaymentChargedBack.</summary>
    private static async Task<IResult> ChargeBackAsync(string paymentId, ChargebackRequest request, PlatformCatalog catalog, PlatformDoors doors,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (catalog.Payment(request.TenantId, paymentId) is not { } record)
        {
            return UnknownPayment(paymentId, request.TenantId);
        }

        var chargedBack = new PaymentChargedBack(paymentId, request.TenantId, request.ChargebackId ?? $"dp_{NewId.NextGuid():N}",
            record.Payment.Currency, record.Payment.Amount + record.Payment.Surcharge, request.ReasonCode ?? "10.4", request.Reason ?? "Fraud: card absent environment",
            clock.GetUtcNow());
        return await doors.DeliverAsync("payment.charged_back", chargedBack, request.Delivery, cancellationToken);
    }

    private static IResult UnknownPayment(string paymentId, string tenantId) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown payment",
            detail: $"The platform took no payment {paymentId} for tenant {tenantId}.");

    /// <summary>Pays out the given payments: their amounts less their fees reach the bank, as one PayoutPaid.</summary>
    private static async Task<IResult> PayOutAsync(PayoutRequest request, PlatformCatalog catalog, IPublishEndpoint bus, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var payments = request.PaymentIds.Select(id => catalog.Payment(request.TenantId, id)).ToList();
        if (payments.Count == 0 || payments.Any(p => p is null))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]>
            {
                ["paymentIds"] = ["Name at least one payment, all taken by the platform for this tenant."],
            });
        }

        var takenBack = (request.Reversals ?? []).Select(r => (r.Kind, Record: catalog.Payment(request.TenantId, r.PaymentId))).ToList();
        // A reversal takes back all the customer paid: the amount and the surcharge.
        if (takenBack.Any(r => r.Record is null))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]>
            {
                ["reversals"] = ["Every payment taken back must have been taken by the platform for this tenant."],
            });
        }

        var settled = payments.Select(p => p!.Payment).ToList();
        var reversals = takenBack.Select(r => new ReconMesh.Contracts.Payouts.PayoutReversal(r.Record!.Payment.PaymentId,
                r.Record.Payment.Amount + r.Record.Payment.Surcharge, r.Kind))
            .ToList();
        var payout = new ReconMesh.Contracts.Payouts.PayoutPaid(request.PayoutId ?? $"po_{NewId.NextGuid():N}", request.TenantId, settled[0].Currency,
            settled.Sum(p => p.Amount + p.Surcharge - p.Fee) - reversals.Sum(r => r.Amount),
            [.. settled.Select(p => new ReconMesh.Contracts.Payouts.PayoutPayment(p.PaymentId, p.Amount, p.Fee, p.Surcharge))], clock.GetUtcNow(), reversals);
        catalog.Sent(payout);
        await bus.Publish(payout, cancellationToken);
        return Results.Ok(payout);
    }
}
