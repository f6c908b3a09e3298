using System.Globalization;

namespace ReconMesh.Demo;

/// <summary>
/// The check, invoice by invoice, of an Autotask database paired with its books: Autotask keeps no amounts, only whether
/// an invoice is paid, so each invoice must be marked paid (<c>paidDate</c>, with ReconMesh's <c>webServiceDate</c>
/// stamp) exactly when the payments that stayed cover its total, and open otherwise (a partial payment, a payment
/// returned or reversed). The money itself is checked in the books (<see cref="BooksCheck"/>, <see cref="XeroBooksCheck"/>).
/// </summary>
internal static class AutotaskBooksCheck
{
    /// <param name="tenantId">The tenant, named in each difference.</param>
    /// <param name="after">The database's invoices after the month.</param>
    /// <param name="stayed">The amounts of the payments that stayed, by Autotask invoice id.</param>
    public static IReadOnlyList<(string Subject, string Problem)> Differences(string tenantId, IReadOnlyList<SandboxClient.AutotaskBookInvoice> after,
        ILookup<string, decimal> stayed)
    {
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(stayed);
        var problems = new List<(string Subject, string Problem)>();
        foreach (var invoice in after.Where(i => !i.IsVoided))
        {
            var id = invoice.Id.ToString(CultureInfo.InvariantCulture);
            var owed = invoice.InvoiceTotal - stayed[id].Sum();
            var paid = invoice.PaidDate is not null;
            if (paid != (owed == 0m) || (paid && invoice.WebServiceDate is null))
            {
                problems.Add(($"{tenantId} Autotask invoice {id}", $"{tenantId}: Autotask invoice {invoice.InvoiceNumber}: " +
                    $"{(paid ? $"paid {invoice.PaidDate} (stamp {invoice.WebServiceDate ?? "none"})" : "open")}; {owed} owed, expected " +
                    (owed == 0m ? "paid with ReconMesh's stamp" : "open")));
            }
        }

        return problems;
    }

    /// <summary>The month's payments that stayed, by the Autotask invoice they paid.</summary>
    public static ILookup<string, decimal> Stayed(DemoMonth month) =>
        month.Payments.Where(p => p.Stayed && p.PsaInvoiceId is not null).ToLookup(p => p.PsaInvoiceId!, p => p.Plan.Amount, StringComparer.Ordinal);
}
