using ReconMesh.Integrations.Connections;

namespace ReconMesh.InvoiceIngest.Sync;

/// <summary>
/// A source whose change query takes an upper bound as well as a lower one, and whose answers say when they were given
/// (<see cref="InvoicePage.AnsweredAt"/>). Its incremental passes then read from a few seconds before the last answer
/// instead of a whole overlap before it, and what changed in each stretch of time is asked for once more when that
/// stretch is an overlap old (<see cref="InvoiceSync"/>'s settling reads): each change is read about twice, not once per
/// pass for as long as it is inside the overlap.
/// </summary>
public interface IBoundedChangeReads
{
    /// <summary>
    /// <see cref="IInvoiceSource.ReadChangedAsync"/>, with the deletions reported since <paramref name="deletedSince"/>: a
    /// deletion is not in the settling reads' answers, so the pass asks for deletions from as far back as is not settled.
    /// </summary>
    Task<InvoicePage> ReadChangedAsync(ConnectionSettings connection, DateTimeOffset since, DateTimeOffset deletedSince, int position,
        DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The invoices whose last change is at or after <paramref name="since"/> and before <paramref name="until"/>, from <paramref name="position"/>.</summary>
    Task<InvoicePage> ReadChangedBetweenAsync(ConnectionSettings connection, DateTimeOffset since, DateTimeOffset until, int position,
        DateTimeOffset now, CancellationToken cancellationToken);
}
