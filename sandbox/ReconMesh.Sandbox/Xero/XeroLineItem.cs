namespace ReconMesh.Sandbox.Xero;

/// <summary>One line of an invoice. The simulator keeps tax out (<c>LineAmountTypes</c> NoTax): the line amount is quantity times unit amount.</summary>
internal sealed record XeroLineItem(Guid LineItemId, string Description, decimal Quantity, decimal UnitAmount, string AccountCode)
{
    public decimal LineAmount => Math.Round(Quantity * UnitAmount, 2, MidpointRounding.AwayFromZero);
}
