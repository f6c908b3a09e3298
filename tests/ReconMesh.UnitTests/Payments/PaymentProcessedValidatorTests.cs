using ReconMesh.Contracts.Payments;
using ReconMesh.PaymentEvents.Payments;

namespace ReconMesh.UnitTests.Payments;

[TestFixture]
public sealed class When_a_PaymentProcessed_is_validated
{
    private static readonly Guid InvoiceA = Guid.NewGuid();
    private static readonly Guid InvoiceB = Guid.NewGuid();
    private readonly PaymentProcessedValidator _validator = new();

    private static PaymentProcessed Valid() => new("pay_1", "tenant-1", PaymentMethod.Card, "USD", 150.25m, 4.66m,
        [new PaymentAllocation(InvoiceA, 100.00m), new PaymentAllocation(InvoiceB, 50.25m)], DateTimeOffset.UtcNow);

    [Test]
    public void Should_accept_a_payment_whose_allocations_add_up() =>
        Assert.That(_validator.Validate(Valid()).IsValid, Is.True);

    private static IEnumerable<TestCaseData> Invalid()
    {
        yield return new TestCaseData(Valid() with { Amount = 0m }).SetName("zero amount");
        yield return new TestCaseData(Valid() with { Amount = -150.25m }).SetName("negative amount");
        yield return new TestCaseData(Valid() with { Amount = 150.24m }).SetName("allocations do not add up");
        yield return new TestCaseData(Valid() with { Currency = "XXX" }).SetName("unknown currency");
        yield return new TestCaseData(Valid() with { Currency = "usd" }).SetName("lower-case currency");
        yield return new TestCaseData(Valid() with { TenantId = "" }).SetName("no tenant");
        yield return new TestCaseData(Valid() with { PaymentId = "" }).SetName("no payment id");
        yield return new TestCaseData(Valid() with { Fee = -1m }).SetName("negative fee");
        yield return new TestCaseData(Valid() with { Fee = 0.001m }).SetName("fee finer than a cent");
        yield return new TestCaseData(Valid() with { Allocations = [] }).SetName("no allocations");
        yield return new TestCaseData(Valid() with { Amount = 200m, Allocations = [new(InvoiceA, 100m), new(InvoiceA, 100m)] }).SetName("same invoice twice");
        yield return new TestCaseData(Valid() with { Amount = 100.005m, Allocations = [new(InvoiceA, 100.005m)] }).SetName("amount finer than a cent");
        yield return new TestCaseData(Valid() with { Amount = 5m, Allocations = [new(Guid.Empty, 5m)] }).SetName("empty invoice id");
        yield return new TestCaseData(Valid() with { Method = (PaymentMethod)99 }).SetName("unknown method");
        yield return new TestCaseData(Valid() with { ProcessedAt = default }).SetName("no processing time");
    }

    [TestCaseSource(nameof(Invalid))]
    public void Should_reject_with_a_reason(PaymentProcessed payment)
    {
        var result = _validator.Validate(payment);

        Assert.That(result.IsValid, Is.False);
        Assert.That(result.Errors.Select(e => e.ErrorMessage), Has.All.Not.Empty);
    }

    [Test]
    public void Should_say_what_the_allocations_add_up_to()
    {
        var result = _validator.Validate(Valid() with { Amount = 150.24m });

        Assert.That(result.Errors.Select(e => e.ErrorMessage), Has.Some.Contains("add up to 150.25"));
    }
}
