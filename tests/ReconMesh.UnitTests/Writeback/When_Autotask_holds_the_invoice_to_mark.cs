using ReconMesh.Integrations.Autotask;
using ReconMesh.Integrations.Writeback;

namespace ReconMesh.UnitTests.Writeback;

public class When_Autotask_holds_the_invoice_to_mark
{
    private static readonly Guid Payment = Guid.Parse("4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f");
    private static readonly DateOnly PaidOn = new(2026, 12, 3);

    private static AutotaskInvoice Invoice(DateTimeOffset? paid = null, DateTimeOffset? stamp = null, bool voided = false) =>
        new() { Id = 29683618, InvoiceNumber = "10100", InvoiceTotal = 1250m, PaidDate = paid, WebServiceDate = stamp, IsVoided = voided,
            VoidedDate = voided ? new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero) : null };

    private static readonly System.Text.Json.JsonSerializerOptions Wire = new()
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private static DateTimeOffset Mark => IdempotencyKeys.AutotaskPaidMark(Payment, PaidOn);

    private static DateTimeOffset Paid => new(2026, 12, 3, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public void The_mark_is_a_whole_second_of_the_paid_day_derived_from_the_payment_alone()
    {
        Assert.Multiple(() =>
        {
            Assert.That(DateOnly.FromDateTime(Mark.UtcDateTime), Is.EqualTo(PaidOn));
            Assert.That(Mark.Millisecond, Is.Zero);
            Assert.That(IdempotencyKeys.AutotaskPaidMark(Payment, PaidOn), Is.EqualTo(Mark), "every retry stamps the same");
            Assert.That(IdempotencyKeys.AutotaskPaidMark(Guid.NewGuid(), PaidOn), Is.Not.EqualTo(Mark),
                "another payment's stamp is another second (1 in 86,400 alike)");
        });
    }

    [Test]
    public void An_open_invoice_can_be_marked() => Assert.That(AutotaskWriteRules.Refusal(Invoice(), Payment, PaidOn), Is.Null);

    [Test]
    public void A_voided_invoice_is_refused() =>
        Assert.That(AutotaskWriteRules.Refusal(Invoice(voided: true), Payment, PaidOn),
            Has.Property("ReasonCode").EqualTo("invoice-voided").And.Property("Reason").EqualTo("Autotask invoice 10100 was voided on 2026-12-02."));

    [Test]
    public void An_invoice_marked_paid_by_someone_else_is_refused()
    {
        Assert.Multiple(() =>
        {
            Assert.That(AutotaskWriteRules.Refusal(Invoice(paid: Paid), Payment, PaidOn)?.ReasonCode, Is.EqualTo("invoice-already-paid"), "a person");
            Assert.That(AutotaskWriteRules.Refusal(Invoice(paid: Paid, stamp: Mark.AddSeconds(1)), Payment, PaidOn)?.ReasonCode,
                Is.EqualTo("invoice-already-paid"), "another stamp");
            Assert.That(AutotaskWriteRules.Refusal(Invoice(paid: Paid.AddDays(-1), stamp: Mark), Payment, PaidOn)?.ReasonCode,
                Is.EqualTo("invoice-already-paid"), "paid on another day, the stamp left from before");
        });
    }

    [Test]
    public void An_invoice_this_payment_marked_is_its_own_earlier_write()
    {
        var marked = Invoice(paid: Paid, stamp: Mark.ToOffset(TimeSpan.FromHours(-5)));

        Assert.Multiple(() =>
        {
            Assert.That(AutotaskWriteRules.IsMarkedBy(marked, Payment, PaidOn), Is.True, "the same instant in any offset");
            Assert.That(AutotaskWriteRules.Refusal(marked, Payment, PaidOn), Is.Null);
            Assert.That(AutotaskWriteRules.IsMarkedBy(Invoice(stamp: Mark), Payment, PaidOn), Is.False, "a stamp without a paid date is not paid");
        });
    }

    [Test]
    public void The_updates_set_the_date_and_stamp_or_clear_the_date()
    {
        Assert.Multiple(() =>
        {
            Assert.That(AutotaskWriteRules.MarkPaid(29683618, Payment, PaidOn),
                Is.EqualTo(new AutotaskInvoiceUpdate(29683618, "2026-12-03", Mark.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"))));
            Assert.That(AutotaskWriteRules.ClearPaid(29683618), Is.EqualTo(new AutotaskInvoiceUpdate(29683618, null, null)));
            Assert.That(System.Text.Json.JsonSerializer.Serialize(AutotaskWriteRules.ClearPaid(7), Wire),
                Is.EqualTo("""{"id":7,"paidDate":null}"""), "null clears the date; the stamp is left as it is");
        });
    }
}
