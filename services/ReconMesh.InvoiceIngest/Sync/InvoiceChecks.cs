using ReconMesh.ServiceDefaults.Validation;

namespace ReconMesh.InvoiceIngest.Sync;

/// <summary>The checks every invoice passes before it is taken in, whatever integration it comes from.</summary>
public static class InvoiceChecks
{
    /// <summary>More lines than any real invoice has; QuickBooks itself caps taxable invoices at 750.</summary>
    public const int MaxLines = 1000;

    /// <summary>
    /// Why an invoice cannot be taken in as it is, or null when it can. <paramref name="customerField"/> is the
    /// integration's name of the customer field, for the message.
    /// </summary>
    public static string? Problem(string? id, string? customerId, string customerField, decimal total, decimal balance, string currency, int lines,
        string? number = null)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return "the invoice has no Id";
        }

        if (string.IsNullOrWhiteSpace(customerId))
        {
            return $"the invoice has no customer ({customerField})";
        }

        // Ids name streams and go into queries and messages: a hostile one (a megabyte, control characters) stops here.
        var unbounded = IdBounds.ExternalIdProblem("the invoice id", id) ?? IdBounds.ExternalIdProblem($"the customer id ({customerField})", customerId)
            ?? (number is null ? null : IdBounds.ExternalIdProblem("the invoice number", number));
        if (unbounded is not null)
        {
            return unbounded;
        }

        if (total < 0m)
        {
            return $"the invoice total {total} is negative";
        }

        if (balance < 0m || balance > total)
        {
            return $"the balance {balance} is outside 0..{total}";
        }

        if (!Currencies.IsKnown(currency))
        {
            return $"the currency '{currency}' is not one ReconMesh knows";
        }

        if (!Currencies.FitsMinorUnits(total, currency) || !Currencies.FitsMinorUnits(balance, currency))
        {
            return $"amounts have more decimal places than {currency} allows";
        }

        if (lines > MaxLines)
        {
            return $"the invoice has {lines} lines, more than the {MaxLines} ReconMesh accepts";
        }

        return null;
    }
}
