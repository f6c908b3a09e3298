using Refit;
using ReconMesh.Integrations.Http;

namespace ReconMesh.Integrations.Autotask;

/// <summary>
/// Autotask PSA's REST API (v1.0) under a zone's <c>…/ATServicesRest/</c> address: queries of the entities ReconMesh
/// reads. A query is a POST whose body is the search (<see cref="AutotaskSearch"/>), so the search's size does not
/// depend on a URL's limits; it only reads, and is marked so (<see cref="IdempotentRequests.ReadOnlyPost"/>) for the
/// pipeline to repeat it after a throttled or lost attempt. Credentials are the client's default headers
/// (<see cref="AutotaskClientFactory"/>).
/// </summary>
public interface IAutotaskApi
{
    [Post("/V1.0/Invoices/query")]
    Task<AutotaskPage<AutotaskInvoice>> QueryInvoicesAsync([Body] AutotaskSearch search,
        [Property(IdempotentRequests.ReadOnlyPost)] bool read = true, CancellationToken cancellationToken = default);

    [Post("/V1.0/Companies/query")]
    Task<AutotaskPage<AutotaskCompany>> QueryCompaniesAsync([Body] AutotaskSearch search,
        [Property(IdempotentRequests.ReadOnlyPost)] bool read = true, CancellationToken cancellationToken = default);

    [Post("/V1.0/Contacts/query")]
    Task<AutotaskPage<AutotaskContact>> QueryContactsAsync([Body] AutotaskSearch search,
        [Property(IdempotentRequests.ReadOnlyPost)] bool read = true, CancellationToken cancellationToken = default);

    /// <summary>One invoice (<c>{"item":{…}}</c>); a missing one answers 404.</summary>
    [Get("/V1.0/Invoices/{id}")]
    Task<AutotaskItem<AutotaskInvoice>> GetInvoiceAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>
    /// The one write Autotask allows on invoices: <c>paidDate</c>, <c>webServiceDate</c> (and <c>invoiceNumber</c>) of
    /// the invoice <c>id</c> names. Sent once (a PATCH is not replayed by the pipeline): the writeback decides what a lost
    /// answer means by reading the invoice again.
    /// </summary>
    [Patch("/V1.0/Invoices")]
    Task<AutotaskUpdated> UpdateInvoiceAsync([Body] AutotaskInvoiceUpdate update, CancellationToken cancellationToken = default);
}

/// <summary>
/// Autotask's zone look-up (<c>GET atservicesrest/v1.0/zoneInformation?user=</c>, at webservices.autotask.net): which
/// zone, and so which REST address, the API user's database lives on. It takes no credentials.
/// </summary>
public interface IAutotaskZoneApi
{
    [Get("/atservicesrest/v1.0/zoneInformation")]
    Task<AutotaskZone> ZoneInformationAsync([Query] string user, CancellationToken cancellationToken = default);
}
