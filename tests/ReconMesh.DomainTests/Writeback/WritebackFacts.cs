using ReconMesh.Contracts;
using ReconMesh.Contracts.Payments;
using ReconMesh.Domain.Writeback;
using PaymentStatusWrittenBack = ReconMesh.Domain.Writeback.PaymentStatusWrittenBack;

namespace ReconMesh.DomainTests.Writeback;

/// <summary>A payment of two invoices of a QuickBooks connection, and what the write consumer would load for it.</summary>
internal static class WritebackFacts
{
    public static readonly Guid Id = Guid.Parse("4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f");
    public static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    public static readonly Guid Books = Guid.Parse("6f1c2a4e-0000-4000-8000-000000000001");
    public static readonly Guid Psa = Guid.Parse("6f1c2a4e-0000-4000-8000-000000000002");
    public static readonly Guid First = Guid.Parse("10000000-0000-4000-8000-000000000001");
    public static readonly Guid Second = Guid.Parse("10000000-0000-4000-8000-000000000002");

    public static PaymentToWrite Payment(string? failure = null) =>
        new(Id, "pay_9", "tenant-a", "USD", Now.AddMinutes(-5), [new PaymentAllocation(First, 100m), new PaymentAllocation(Second, 25.10m)], 0m, failure);

    public static InvoiceFacts Invoice(Guid id, Guid connection, string number, string tenant = "tenant-a") =>
        new(id, tenant, connection, $"ext-{number}", "cust-7", number);

    public static ConnectionFacts QuickBooks(Guid? id = null, string tenant = "tenant-a") =>
        new(id ?? Books, tenant, IntegrationKind.QuickBooksOnline, CanWrite: true, CanFindByNumber: true, SecondaryConnectionId: null,
            IdempotentWrites: true);

    public static ConnectionFacts ConnectWise(Guid? secondary) =>
        new(Psa, "tenant-a", IntegrationKind.ConnectWisePsa, CanWrite: true, CanFindByNumber: false, secondary);

    public static WriteContext Context(Guid? connection = null, ConnectionFacts? primary = null, ConnectionFacts? secondary = null,
        IReadOnlyDictionary<string, InvoiceMatch>? matches = null)
    {
        var on = connection ?? Books;
        return new WriteContext(
            new Dictionary<Guid, InvoiceFacts> { [First] = Invoice(First, on, "1001"), [Second] = Invoice(Second, on, "1002") },
            primary ?? QuickBooks(), secondary, matches);
    }

    public static WritebackOutcome.Written Written(params string[] ids) =>
        new(PaymentWritebackStatus.Paid, ids, [new WrittenBackInvoice(First, "ext-1001", 100m, 0m)]);

    public static WritebackRecord Record(params object[] events) => WritebackRecord.From(events)!;

    public static PaymentStatusWrittenBack WrittenBack(Guid connection, bool toSecondary = false, params string[] ids) =>
        new(Id, "pay_9", "tenant-a", connection, toSecondary ? IntegrationKind.QuickBooksOnline : IntegrationKind.ConnectWisePsa,
            PaymentWritebackStatus.Paid, ids, [], Now, toSecondary);

    public static WritebackNeedsAttention Attention(string code = "invoice-voided") =>
        new(Id, "pay_9", "tenant-a", Books, code, "Invoice 1001 was voided", Now);
}
