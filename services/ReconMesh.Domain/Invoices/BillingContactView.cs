namespace ReconMesh.Domain.Invoices;

/// <summary>The latest billing contact of a customer.</summary>
public sealed class BillingContactView
{
    public Guid Id { get; set; }

    public long Version { get; set; }

    public BillingContactRecorded Contact { get; set; } = null!;

    /// <summary>The events <see cref="Evolve"/> folds; any other leaves the view as it is.</summary>
    public static readonly Type[] EventTypes = [typeof(BillingContactRecorded)];

    /// <summary>The state after <paramref name="event"/>; <see cref="Version"/> counts the events folded.</summary>
    public static BillingContactView? Evolve(BillingContactView? state, Guid id, object @event)
    {
        if (@event is not BillingContactRecorded recorded)
        {
            return state;
        }

        state ??= new BillingContactView { Id = id };
        state.Contact = recorded;
        state.Version++;
        return state;
    }

    public bool SameAs(BillingContactRecorded other) =>
        Contact with { ReadAt = default } == other with { ReadAt = default };
}
