namespace ReconMesh.Sandbox.Xero;

/// <summary>Payments: applying one moves the invoice's AmountDue and AmountPaid (PAID at zero due); deleting one reopens it.</summary>
internal sealed partial class XeroOrganisation
{
    /// <summary>Applies a payment that has been validated (amount above 0 and at most the amount due, account takes payments).</summary>
    public XeroPayment ApplyPayment(XeroInvoice invoice, XeroAccount account, DateOnly date, decimal amount, string? reference, decimal currencyRate, bool isReconciled)
    {
        var now = Now;
        var payment = new XeroPayment
        {
            PaymentId = Guid.NewGuid(),
            Invoice = invoice,
            Account = account,
            Date = date,
            Amount = amount,
            Reference = reference,
            CurrencyRate = currencyRate,
            IsReconciled = isReconciled,
            UpdatedUtc = now,
        };
        Payments.Add(payment.PaymentId, payment);
        invoice.Payments.Add(payment);
        invoice.AmountPaid += amount;
        if (invoice.AmountDue == 0)
        {
            invoice.Status = "PAID";
            invoice.FullyPaidOnDate = invoice.Payments.Max(p => p.Date);
        }

        invoice.UpdatedUtc = now;
        InvoiceChanged(invoice);
        Debit(account, amount);
        return payment;
    }

    /// <summary>Deletes a payment: the invoice gets the amount back as due and, if it was PAID, is AUTHORISED again.</summary>
    public void DeletePayment(XeroPayment payment)
    {
        var now = Now;
        var invoice = payment.Invoice;
        payment.Status = "DELETED";
        payment.UpdatedUtc = now;
        invoice.Payments.Remove(payment);
        invoice.AmountPaid -= payment.Amount;
        if (invoice.Status == "PAID")
        {
            invoice.Status = "AUTHORISED";
            invoice.FullyPaidOnDate = null;
        }

        invoice.UpdatedUtc = now;
        InvoiceChanged(invoice);
        Credit(payment.Account, payment.Amount);
    }
}
