using ReconMesh.Contracts.Payments;
using ReconMesh.Domain.Payments;
using PaymentAccepted = ReconMesh.Domain.Payments.PaymentAccepted;

namespace ReconMesh.DomainTests.Payments;

/// <summary>Reports and reversals of one payment, as the doors turn the platform's messages into commands.</summary>
internal static class PaymentFacts
{
    public static readonly Guid Id = Guid.Parse("2a6b6c1e-7d4f-4e0a-9d51-0f3c2b1a9e77");
    public static readonly DateTimeOffset At = new(2026, 12, 1, 9, 30, 0, TimeSpan.Zero);
    public static readonly Guid Invoice = Guid.Parse("7e0c5b8a-1f2d-4c3b-8a9e-6d5f4e3c2b1a");

    public static ReportPayment Report(decimal amount = 120.50m, decimal fee = 0.80m, decimal surcharge = 0m, string currency = "USD") =>
        new(new PaymentAccepted(Id, "pay_1", "tenant-a", PaymentMethod.Ach, currency, amount, fee, [new PaymentAllocation(Invoice, amount)], At,
            At.AddSeconds(1), surcharge));

    public static ReportReversal Failure(string code = "R01") =>
        new(Id, "pay_1", "tenant-a", PaymentReversalKind.Failed, null, null, code, "Insufficient funds", At.AddDays(2), At.AddDays(2));

    public static ReportReversal Refund(string id = "re_1", decimal amount = 120.50m, string currency = "USD") =>
        new(Id, "pay_1", "tenant-a", PaymentReversalKind.Refunded, id, (currency, amount), "refund", "Refunded to the customer", At.AddDays(3),
            At.AddDays(3));

    public static ReportReversal Chargeback(string id = "dp_1", decimal amount = 120.50m) =>
        new(Id, "pay_1", "tenant-a", PaymentReversalKind.ChargedBack, id, ("USD", amount), "fraudulent", "Disputed", At.AddDays(9), At.AddDays(9));

    /// <summary>The stream after deciding each command in turn and appending what was decided.</summary>
    public static PaymentStream After(params object[] commands) =>
        commands.Aggregate(PaymentStream.Empty, (state, command) =>
            Decide(command, state).Events.Aggregate(state, PaymentStream.Evolve));

    public static PaymentDecision Decide(object command, PaymentStream state) => command switch
    {
        ReportPayment p => PaymentDecider.Decide(p, state),
        ReportReversal r => PaymentDecider.Decide(r, state),
        _ => throw new ArgumentException(command.GetType().Name, nameof(command)),
    };
}
