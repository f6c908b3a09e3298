namespace ReconMesh.Domain.Invoices;

/// <summary>The latest state of an invoice's stream, kept inline with every append so a sync can compare in bulk.</summary>
public sealed class InvoiceView
{
    public Guid Id { get; set; }

    public long Version { get; set; }

    public InvoiceSnapshot Invoice { get; set; } = null!;

    /// <summary>Deleted in the integration: kept for its history, offered for payment no more.</summary>
    public bool Archived { get; set; }

    /// <summary>The state after <paramref name="event"/>; <see cref="Version"/> counts the events folded.</summary>
    public static InvoiceView? Evolve(InvoiceView? state, Guid id, object @event)
    {
        var next = (state, @event) switch
        {
            (null, InvoiceImported e) => new InvoiceView { Id = id, Invoice = e.Invoice },
            (not null, InvoiceChangedInIntegration e) => Changed(state, e),
            (not null, InvoiceArchivedInIntegration) => Archive(state),
            _ => state,
        };
        if (next is not null)
        {
            next.Version++;
        }

        return next;
    }

    private static InvoiceView Changed(InvoiceView state, InvoiceChangedInIntegration e)
    {
        state.Invoice = e.Invoice;
        return state;
    }

    private static InvoiceView Archive(InvoiceView state)
    {
        state.Archived = true;
        return state;
    }
}
