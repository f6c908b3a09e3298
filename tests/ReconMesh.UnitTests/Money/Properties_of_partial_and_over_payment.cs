using CsCheck;
using ReconMesh.Domain.Writeback;
using ReconMesh.Integrations.ConnectWise;
using ReconMesh.Integrations.QuickBooks;
using static ReconMesh.UnitTests.Money.MoneyGen;

namespace ReconMesh.UnitTests.Money;

/// <summary>
/// What an invoice read again before the write lets a payment's portion do: pay it in full or in part, leaving a
/// balance that is never negative; more than the balance only as an overpayment of an untouched QuickBooks invoice,
/// whose excess stays unapplied credit; anything else needs a person and nothing is written.
/// </summary>
public sealed class Properties_of_partial_and_over_payment
{
    /// <summary>An invoice's total and balance (0 ≤ balance ≤ total) and a portion, in minor units of one currency.</summary>
    private static readonly Gen<(string Code, int Digits, decimal Total, decimal Balance, decimal Portion)> Case =
        Gen.Select(Currency, Units, Gen.Double[0, 1], Gen.Frequency((3, Gen.Double[0, 1.5]), (1, Gen.Const(1.0))), Gen.OneOf(-1L, 0L, 1L),
            (c, total, paidShare, portionShare, nudge) =>
            {
                var balance = total - (long)Math.Round(total * paidShare);
                var portion = Math.Max(1L, (long)Math.Round(balance * portionShare) + nudge);
                return (c.Code, c.Digits, Amount(total, c.Digits), Amount(balance, c.Digits), Amount(portion, c.Digits));
            });

    private static QboInvoice QuickBooksInvoice(string currency, decimal total, decimal balance) =>
        new() { Id = "130", DocNumber = "1037", TotalAmt = total, Balance = balance, CurrencyRef = new QboRef(currency) };

    private static InvoicePortion Portion(decimal amount) => new(Guid.NewGuid(), "130", "58", amount);

    [Test]
    public void QuickBooks_writes_a_portion_only_within_the_balance_or_as_an_overpayment_of_an_untouched_invoice() =>
        Case.Sample(c =>
        {
            var refused = QuickBooksWriteRules.Refusal(QuickBooksInvoice(c.Code, c.Total, c.Balance), Portion(c.Portion), c.Code) is not null;
            var allowed = c.Portion <= c.Balance || (c.Balance == c.Total && c.Portion > c.Total);
            return refused != allowed;
        });

    [Test]
    public void QuickBooks_leaves_a_partly_paid_invoice_owing_the_total_less_what_was_paid_never_less_than_zero() =>
        Case.Sample(c =>
        {
            var invoice = QuickBooksInvoice(c.Code, c.Total, c.Balance);
            var portion = Portion(c.Portion);
            if (QuickBooksWriteRules.Refusal(invoice, portion, c.Code) is not null)
            {
                return true;
            }

            var applied = QuickBooksWriteRules.Applied(portion, c.Balance);
            var after = c.Balance - applied;
            var unapplied = c.Portion - applied;
            return after >= 0m && unapplied >= 0m && applied + unapplied == c.Portion
                && (unapplied == 0m || (QuickBooksWriteRules.IsOverpayment(invoice, portion) && after == 0m))
                && (c.Portion >= c.Balance ? after == 0m : after == c.Balance - c.Portion)
                && decimal.Round(after, c.Digits) == after;
        });

    [Test]
    public void QuickBooks_never_takes_an_overpayment_on_an_invoice_someone_paid_part_of() =>
        Case.Sample(c =>
        {
            var refusal = QuickBooksWriteRules.Refusal(QuickBooksInvoice(c.Code, c.Total, c.Balance), Portion(c.Portion), c.Code);
            return c.Portion <= c.Balance || c.Balance == c.Total || refusal?.ReasonCode == "invoice-balance-changed";
        });

    [Test]
    public void ConnectWise_writes_a_portion_only_within_the_balance() =>
        Case.Sample(c =>
        {
            var invoice = new ConnectWiseInvoice { Id = 130, InvoiceNumber = "1037", Balance = c.Balance, Currency = new ConnectWiseCurrency { CurrencyCode = c.Code } };
            var refusal = ConnectWiseWriteRules.Refusal(invoice, Portion(c.Portion), c.Code);
            return c.Portion <= c.Balance ? refusal is null : refusal?.ReasonCode == "invoice-balance-changed";
        });

    [Test]
    public void Neither_pays_an_invoice_in_another_currency_whatever_the_amounts() =>
        Gen.Select(Case, Currency).Sample((c, other) =>
        {
            var portion = Portion(c.Portion);
            var connectWise = new ConnectWiseInvoice { Id = 130, Balance = c.Balance, Currency = new ConnectWiseCurrency { CurrencyCode = other.Code } };
            return other.Code == c.Code
                || (QuickBooksWriteRules.Refusal(QuickBooksInvoice(other.Code, c.Total, c.Balance), portion, c.Code)?.ReasonCode == "currency-mismatch"
                    && ConnectWiseWriteRules.Refusal(connectWise, portion, c.Code)?.ReasonCode == "currency-mismatch");
        });
}
