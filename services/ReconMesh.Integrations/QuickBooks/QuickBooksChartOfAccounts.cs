using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.Writeback;

namespace ReconMesh.Integrations.QuickBooks;

/// <summary>
/// The accounts and items ReconMesh books to when a connection names none of its own, found by name or created the
/// first time they are needed (with a <c>requestid</c> derived from the company and the name, so that two replicas
/// creating the same account at once create it once).
/// </summary>
public static class QuickBooksChartOfAccounts
{
    /// <summary>Expense account for the fees the platform kept from payouts.</summary>
    public static readonly AccountSpec Fees = new("ReconMesh Payment Fees", "Expense", "BankCharges");

    /// <summary>
    /// Clearing account for reversals of deposited payments: credited by the reinstatement invoice, debited when the
    /// platform nets the reversal from a payout, so it returns to zero once both are booked. An Other Current Asset,
    /// because a deposit line may not post to a liability.
    /// </summary>
    public static readonly AccountSpec ReversalsClearing = new("ReconMesh Reversals Clearing", "Other Current Asset", "OtherCurrentAssets");

    /// <summary>Income account for surcharges customers pay when the partner passes card fees on.</summary>
    public static readonly AccountSpec SurchargeIncome = new("ReconMesh Surcharge Income", "Income", "ServiceFeeIncome");

    /// <summary>The service item of reinstatement invoices, whose income account is <see cref="ReversalsClearing"/>.</summary>
    public static readonly ItemSpec ReversalItem = new("ReconMesh Payment Reversal",
        "Payment returned, refunded or charged back after it was deposited (booked by ReconMesh)");

    /// <summary>The service item of surcharge invoices, whose income account is <see cref="SurchargeIncome"/>.</summary>
    public static readonly ItemSpec SurchargeItem = new("ReconMesh Card Surcharge", "Card fee passed on to the customer (booked by ReconMesh)");

    public sealed record AccountSpec(string Name, string AccountType, string AccountSubType);

    public sealed record ItemSpec(string Name, string Description);

    public static async Task<string> AccountAsync(IQuickBooksApi api, string realm, AccountSpec spec, CancellationToken cancellationToken)
    {
        var found = (await api.QueryAsync(realm, $"select * from Account where Name = {QuickBooksQuery.Quote(spec.Name)}", cancellationToken))
            .QueryResponse?.Account;
        if (found is { Count: > 0 } && found[0].Id is { } id)
        {
            return id;
        }

        var account = new QboAccount { Name = spec.Name, AccountType = spec.AccountType, AccountSubType = spec.AccountSubType };
        var created = await api.CreateAccountAsync(realm, account, IdempotencyKeys.QuickBooksAccountRequestId(realm, spec.Name), cancellationToken);
        return created.Account.Id!;
    }

    /// <summary>One of ReconMesh's own service items, mapped to <paramref name="incomeAccountId"/> when it is created.</summary>
    public static async Task<QboRef> ItemAsync(IQuickBooksApi api, string realm, ItemSpec spec, string incomeAccountId, CancellationToken cancellationToken)
    {
        var found = (await api.QueryAsync(realm, $"select * from Item where Name = {QuickBooksQuery.Quote(spec.Name)}", cancellationToken))
            .QueryResponse?.Item;
        if (found is { Count: > 0 } && found[0].Id is { } id)
        {
            return new QboRef(id, spec.Name);
        }

        var item = new QboItem { Name = spec.Name, Type = "Service", Description = spec.Description, IncomeAccountRef = new QboRef(incomeAccountId) };
        var created = await api.CreateItemAsync(realm, item, IdempotencyKeys.QuickBooksItemRequestId(realm, spec.Name), cancellationToken);
        return new QboRef(created.Item.Id!, spec.Name);
    }

    /// <summary>The surcharge item (and its income account, unless the connection names one), created when first needed.</summary>
    public static async Task<QboRef> SurchargeItemAsync(IQuickBooksApi api, ConnectionSettings connection, CancellationToken cancellationToken)
    {
        var realm = connection.RealmId!;
        var income = connection.SurchargeAccountId ?? await AccountAsync(api, realm, SurchargeIncome, cancellationToken);
        return await ItemAsync(api, realm, SurchargeItem, income, cancellationToken);
    }

    /// <summary>The invoice ReconMesh created with this document number and its marker, if any.</summary>
    public static async Task<QboInvoice?> OwnInvoiceAsync(IQuickBooksApi api, string realm, string docNumber, string marker, CancellationToken cancellationToken)
    {
        var found = (await api.QueryAsync(realm, $"select * from Invoice where DocNumber = {QuickBooksQuery.Quote(docNumber)}", cancellationToken))
            .QueryResponse?.Invoice;
        return found?.FirstOrDefault(i => i.PrivateNote?.Contains(marker, StringComparison.Ordinal) ?? false);
    }
}
