using System.Text.Json;

namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>Payments applied to an invoice: add, look up, delete.</summary>
internal sealed partial class CwSite
{
    /// <summary><c>POST /finance/invoices/{id}/payments</c>: amount above zero and at most the balance.</summary>
    public CwPayment AddPayment(int invoiceId, JsonElement body, CwActor actor)
    {
        var invoice = RequireInvoice(invoiceId);
        var reader = new CwBodyReader(body, "payment");
        reader.Ignore("id", "_info", "credit");
        var type = reader.String("type", maxLength: 50);
        var amount = reader.Money("amount", required: true);
        var paymentDate = reader.Date("paymentDate");
        var appliedBy = reader.String("appliedBy", maxLength: 50);
        var referenced = reader.ReferenceId("invoice");
        if (referenced is { } other && other != invoiceId)
        {
            reader.AddError("invoice", "InvalidField", $"The invoice reference ({other}) does not match the invoice in the URL ({invoiceId}).");
        }

        if (amount is { } value)
        {
            if (value <= 0m)
            {
                reader.AddError("amount", "InvalidField", "The amount must be greater than zero.");
            }
            else if (value > invoice.Balance)
            {
                reader.AddError("amount", "InvalidField", $"The amount ({value}) cannot exceed the invoice balance ({invoice.Balance}).");
            }
        }

        reader.Finish();
        var now = Now;
        var payment = new CwPayment
        {
            Id = _nextPaymentId++,
            InvoiceId = invoiceId,
            Type = string.IsNullOrWhiteSpace(type) ? "Payment" : type.Trim(),
            Amount = amount!.Value,
            PaymentDate = paymentDate ?? now,
            AppliedBy = appliedBy ?? actor.Member,
            Audit = new CwAudit(now, actor.Member),
        };
        Payments.Add(payment.Id, payment);
        invoice.PaymentIds.Add(payment.Id);
        invoice.Payments += payment.Amount;
        invoice.Audit.Touch(now, actor.Member);
        Notify(invoice, "updated", actor);
        return payment;
    }

    public CwPayment RequirePayment(int invoiceId, int paymentId)
    {
        RequireInvoice(invoiceId);
        return Payments.TryGetValue(paymentId, out var payment) && payment.InvoiceId == invoiceId
            ? payment
            : throw CwErrors.NotFound($"Payment ID {paymentId} not found");
    }

    /// <summary><c>DELETE /finance/invoices/{id}/payments/{paymentId}</c>: the balance comes back.</summary>
    public void DeletePayment(int invoiceId, int paymentId, CwActor actor)
    {
        var payment = RequirePayment(invoiceId, paymentId);
        var invoice = Invoices[invoiceId];
        Payments.Remove(paymentId);
        invoice.PaymentIds.Remove(paymentId);
        invoice.Payments -= payment.Amount;
        invoice.Audit.Touch(Now, actor.Member);
        Notify(invoice, "updated", actor);
    }
}
