using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Contracts.Payments;
using ReconMesh.EventSourcing.Identity;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.WritebackService.Invoices;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>
/// What a scenario on one tenant does whatever its integration: take an invoice the platform knows, pay it on the
/// platform's bus, fail the payment, and wait for the payment's state in WritebackService.
/// </summary>
public abstract class PlatformScenario
{
    private readonly HashSet<Guid> _taken = [];

    public string Tenant { get; } = $"tenant-{Guid.NewGuid():N}";

    public Guid ConnectionId { get; } = Guid.NewGuid();

    public HttpClient Sandbox { get; protected set; } = null!;

    public HttpClient Writeback { get; protected set; } = null!;

    public IBus PlatformBus { get; protected set; } = null!;

    public async Task<List<InvoiceSynced>> PlatformInvoicesAsync() =>
        (await Sandbox.GetFromJsonAsync<List<InvoiceSynced>>($"/platform/invoices?tenantId={Tenant}", PaymentScenarioHarness.Json))!;

    /// <summary>
    /// Waits until the platform and WritebackService both hold the tenant's first <paramref name="count"/> invoices. Both
    /// hear them on the bus; a payment taken before WritebackService did waits for them (<c>writeback_awaiting_invoices</c>),
    /// which is right but is not the write a scenario means to show.
    /// </summary>
    protected async Task UntilInvoicesSyncedAsync(WebApplication writeback, int count)
    {
        ArgumentNullException.ThrowIfNull(writeback);
        await Eventually.Until(PlatformInvoicesAsync, i => i.Count >= count, "the seeded invoices to sync");
        await Eventually.Until(async () =>
        {
            await using var session = writeback.Services.GetRequiredService<IDocumentStore>().QuerySession();
            return await session.Query<KnownInvoice>().CountAsync(i => i.TenantId == Tenant);
        }, n => n >= count, "WritebackService to know the seeded invoices");
    }

    /// <summary>Open invoices nobody has paid yet, one per call, so scenarios do not share invoices.</summary>
    public async Task<InvoiceSynced> TakeInvoiceAsync()
    {
        var invoices = await PlatformInvoicesAsync();
        lock (_taken)
        {
            var invoice = invoices.Where(i => i.Balance > 0 && i.Balance == i.Total).OrderBy(i => i.Number, StringComparer.Ordinal)
                .First(i => !_taken.Contains(i.InvoiceId));
            _taken.Add(invoice.InvoiceId);
            return invoice;
        }
    }

    public async Task<PaymentProcessed> PayAsync(params (Guid InvoiceId, decimal Amount)[] allocations)
    {
        var payment = new PaymentProcessed($"pay_{Guid.NewGuid():N}", Tenant, PaymentMethod.Ach, "USD", allocations.Sum(a => a.Amount), 0.80m,
            [.. allocations.Select(a => new PaymentAllocation(a.InvoiceId, a.Amount))], DateTimeOffset.UtcNow);
        await PlatformBus.Publish(payment);
        return payment;
    }

    public Task FailAsync(PaymentProcessed payment, string code = "R01") =>
        PlatformBus.Publish(new PaymentFailed(payment.PaymentId, Tenant, code, "Insufficient funds", DateTimeOffset.UtcNow));

    public Guid MeshId(PaymentProcessed payment) => MeshIds.Payment(Tenant, payment.PaymentId);

    public async Task<JsonElement?> PaymentAsync(Guid meshPaymentId)
    {
        using var response = await Writeback.GetAsync($"/tenants/{Tenant}/payments/{meshPaymentId}");
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>(PaymentScenarioHarness.Json) : null;
    }

    public async Task<JsonElement> SettledAsync(PaymentProcessed payment, params string[] states)
    {
        var wanted = states.Length == 0 ? PaymentScenarioHarness.TerminalOrWaiting : states;
        var settled = await Eventually.Until(() => PaymentAsync(MeshId(payment)),
            p => p is { } x && wanted.Contains(x.GetProperty("state").GetString()), $"payment {payment.PaymentId} to reach {string.Join("/", wanted)}",
            TimeSpan.FromSeconds(90));
        return settled!.Value;
    }
}
