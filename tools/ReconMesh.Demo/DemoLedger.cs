using System.Text.Json;

namespace ReconMesh.Demo;

/// <summary>What the simulated customers paid, day by day, as the platform would know it.</summary>
internal sealed class DemoLedger
{
    public sealed class Payment(int day, string externalInvoiceId, string paymentId, string method, decimal amount, decimal fee)
    {
        public int Day { get; } = day;

        public string ExternalInvoiceId { get; } = externalInvoiceId;

        public string PaymentId { get; } = paymentId;

        public string Method { get; } = method;

        public decimal Amount { get; } = amount;

        public decimal Fee { get; } = fee;

        /// <summary>Taken back before it was paid out: it should not stay booked anywhere.</summary>
        public bool Returned { get; set; }

        /// <summary>
        /// Taken back after the payout that settled it was deposited: it stays booked in QuickBooks (deposited), a
        /// reinstatement invoice puts its amount back on the customer's account; ConnectWise no longer counts it paid.
        /// </summary>
        public bool ReversedAfterPayout { get; set; }
    }

    public List<Payment> Payments { get; } = [];

    public void Add(int day, string externalInvoiceId, JsonElement processed) =>
        Payments.Add(new Payment(day, externalInvoiceId, processed.GetProperty("paymentId").GetString()!, processed.GetProperty("method").GetString()!,
            processed.GetProperty("amount").GetDecimal(), processed.GetProperty("fee").GetDecimal()));
}
