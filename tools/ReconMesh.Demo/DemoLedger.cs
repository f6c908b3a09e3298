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

        public bool Returned { get; set; }
    }

    public List<Payment> Payments { get; } = [];

    public void Add(int day, string externalInvoiceId, JsonElement processed) =>
        Payments.Add(new Payment(day, externalInvoiceId, processed.GetProperty("paymentId").GetString()!, processed.GetProperty("method").GetString()!,
            processed.GetProperty("amount").GetDecimal(), processed.GetProperty("fee").GetDecimal()));
}
