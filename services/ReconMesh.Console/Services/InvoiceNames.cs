namespace ReconMesh.OperatorConsole.Services;

/// <summary>
/// The invoice numbers and customers a payment's allocations name, looked up in InvoiceIngest (each invoice once per
/// page, a few at a time). An invoice InvoiceIngest does not know (not synced yet, or never) is shown by its id.
/// </summary>
public sealed class InvoiceNames(IInvoiceIngestApi invoiceIngest)
{
    private const int AtOnce = 4;

    public sealed record Named(Guid InvoiceId, string? Number, string? Customer);

    public async Task<IReadOnlyDictionary<Guid, Named>> LookUpAsync(string tenant, IEnumerable<Guid> invoiceIds, CancellationToken cancellationToken)
    {
        var found = new System.Collections.Concurrent.ConcurrentDictionary<Guid, Named>();
        await Parallel.ForEachAsync(invoiceIds.Distinct(), new ParallelOptions { MaxDegreeOfParallelism = AtOnce, CancellationToken = cancellationToken },
            async (id, token) =>
            {
                var answer = await ServiceCalls.ReadAsync(ServiceClients.InvoiceIngest, () => invoiceIngest.InvoiceAsync(tenant, id, token));
                found[id] = answer.Ok ? new Named(id, answer.Value!.Invoice.Number, answer.Value.Invoice.CustomerName) : new Named(id, null, null);
            });
        return found;
    }
}
