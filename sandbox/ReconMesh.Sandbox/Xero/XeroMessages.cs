namespace ReconMesh.Sandbox.Xero;

/// <summary>
/// The validation messages the simulator answers with, in one place so they can be checked against Xero. [S] means
/// seen in public reports of Xero's answers; [I] means inferred (Xero's wording may differ; the shape does not).
/// </summary>
internal static class XeroMessages
{
    /// <summary>[S]</summary>
    public const string AmountExceedsOutstanding = "Payment amount exceeds the amount outstanding on this document";

    /// <summary>[I]</summary>
    public const string AccountCannotTakePayments = "Account type is invalid for making a payment to/from";

    /// <summary>[I]</summary>
    public const string InvoiceNotAuthorised = "Payments can only be made against Authorised documents";

    /// <summary>[I]</summary>
    public const string InvoiceMissing = "You must specify either an Invoice, Credit Note, Prepayment or Overpayment for the payment";

    /// <summary>[I]</summary>
    public const string InvoiceNotFound = "Invoice could not be found";

    /// <summary>[I]</summary>
    public const string AccountMissing = "You must specify an Account for the payment";

    /// <summary>[I]</summary>
    public const string AccountNotFound = "Account could not be found";

    /// <summary>[I]</summary>
    public const string AccountArchived = "The Account is archived";

    /// <summary>[I]</summary>
    public const string AmountNotPositive = "Payment amount must be greater than zero";

    /// <summary>[I]</summary>
    public const string DateMissing = "A valid Date must be specified for the payment";

    /// <summary>[I]</summary>
    public const string ReferenceTooLong = "Reference must not be more than 255 characters long";

    /// <summary>[I]</summary>
    public const string AlreadyDeleted = "The document has already been deleted";

    /// <summary>[I]</summary>
    public const string OnlyDelete = "Payments cannot be modified, only deleted: send {\"Status\":\"DELETED\"}";

    /// <summary>[I] (public write-ups of Xero's idempotency docs quote this wording)</summary>
    public static string IdempotencyKeyReused(string key) => $"Idempotency Key {key} is used with a different request.";

    /// <summary>[I]</summary>
    public const string IdempotencyKeyTooLong = "The Idempotency-Key header must not be longer than 128 characters";

    /// <summary>[I]</summary>
    public const string BankAccountMissing = "You must specify a bank account";

    /// <summary>[I] (Xero's docs: the from and to accounts of a transfer are BANK accounts)</summary>
    public const string NotABankAccount = "The account must be a BANK account";

    /// <summary>[I]</summary>
    public const string SameBankAccount = "The From and To bank accounts must be different";

    /// <summary>[I]</summary>
    public const string AmountMustBePositive = "Amount must be greater than zero";

    /// <summary>[I] (the simulator models these two of Xero's bank transaction types)</summary>
    public const string BankTransactionType = "Type must be SPEND or RECEIVE";

    /// <summary>[I]</summary>
    public const string ContactMissing = "A Contact must be specified";

    /// <summary>[I]</summary>
    public const string ContactNotFound = "Contact could not be found";

    /// <summary>[I]</summary>
    public const string LineItemsMissing = "At least one line item must be specified";

    /// <summary>[I]</summary>
    public const string DescriptionMissing = "Description must be specified";

    /// <summary>[I]</summary>
    public const string QuantityNegative = "Quantity must not be negative";

    /// <summary>[I]</summary>
    public const string UnitAmountNotPositive = "UnitAmount must be greater than zero";

    /// <summary>[S]</summary>
    public static string InvalidAccountCode(string code) => $"Account code '{code}' is not a valid code for this document.";

    /// <summary>[I]</summary>
    public const string OnlyDeleteTransaction = "A bank transaction of the simulator can only be deleted here: send {\"Status\":\"DELETED\"}";
}
