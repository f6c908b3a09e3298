namespace ReconMesh.Sandbox.Xero;

/// <summary>
/// The webhook events of an organisation (Xero notifies contacts and invoices), kept until the dispatcher takes them;
/// at most <see cref="MaxPendingEvents"/>, the oldest dropped first, so an organisation nobody listens to stays bounded.
/// </summary>
internal sealed partial class XeroOrganisation
{
    public const int MaxPendingEvents = 10_000;

    private readonly Queue<XeroWebhookEvent> _events = new();

    public List<XeroWebhookEvent> DrainEvents()
    {
        var drained = _events.ToList();
        _events.Clear();
        return drained;
    }

    private void Notify(string category, string type, Guid resourceId)
    {
        _events.Enqueue(new XeroWebhookEvent(Guid.Parse(TenantId), category, type, resourceId, Now));
        while (_events.Count > MaxPendingEvents)
        {
            _events.Dequeue();
        }
    }

    private void InvoiceChanged(XeroInvoice invoice) => Notify("INVOICE", "UPDATE", invoice.InvoiceId);
}
