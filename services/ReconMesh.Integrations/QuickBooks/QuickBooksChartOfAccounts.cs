using Refit;
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

    /// <summary>The service item of reinstatement invoices, whose income account is <see cref="ReversalsClearing"/>.</summary>
    public const string ReversalItemName = "ReconMesh Payment Reversal";

    public sealed record AccountSpec(string Name, string AccountType, string AccountSubType);

    public static async Task<string> AccountAsync(IQuickBooksApi api, string realm, AccountSpec spec, CancellationToken cancellationToken)
    {
        var found = (await Call(() => api.QueryAsync(realm, $"select * from Account where Name = {QuickBooksQuery.Quote(spec.Name)}", cancellationToken)))
            .QueryResponse?.Account;
        if (found is { Count: > 0 } && found[0].Id is { } id)
        {
            return id;
        }

        var account = new QboAccount { Name = spec.Name, AccountType = spec.AccountType, AccountSubType = spec.AccountSubType };
        var created = await Call(() => api.CreateAccountAsync(realm, account, IdempotencyKeys.QuickBooksAccountRequestId(realm, spec.Name), cancellationToken));
        return created.Account.Id!;
    }

    /// <summary>ReconMesh's reversal item, mapped to <paramref name="incomeAccountId"/>.</summary>
    public static async Task<QboRef> ReversalItemAsync(IQuickBooksApi api, string realm, string incomeAccountId, CancellationToken cancellationToken)
    {
        var found = (await Call(() => api.QueryAsync(realm, $"select * from Item where Name = {QuickBooksQuery.Quote(ReversalItemName)}", cancellationToken)))
            .QueryResponse?.Item;
        if (found is { Count: > 0 } && found[0].Id is { } id)
        {
            return new QboRef(id, ReversalItemName);
        }

        var item = new QboItem
        {
            Name = ReversalItemName,
            Type = "Service",
            Description = "Payment returned, refunded or charged back after it was deposited (booked by ReconMesh)",
            IncomeAccountRef = new QboRef(incomeAccountId),
        };
        var created = await Call(() => api.CreateItemAsync(realm, item, IdempotencyKeys.QuickBooksItemRequestId(realm, ReversalItemName), cancellationToken));
        return new QboRef(created.Item.Id!, ReversalItemName);
    }

    internal static async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (ApiException ex)
        {
            throw QuickBooksException.From(ex);
        }
    }
}
