using System.ComponentModel.DataAnnotations;

namespace ReconMesh.EventSourcing.Relay;

/// <summary>
/// How an operator's replay pages through the store (<c>ReconMesh:Replay</c>): InvoiceIngest's replay of a connection,
/// PaymentEvents' replay of a tenant's payments (<see cref="EventReplay.RepublishPagesAsync"/>).
/// </summary>
public sealed class ReplayOptions
{
    public const string Section = "ReconMesh:Replay";

    /// <summary>
    /// Streams read, and their messages published, per page: what a replay holds in memory at once. 500 by default (the
    /// relay's page too).
    /// </summary>
    [Range(1, 5000)]
    public int PageSize { get; set; } = 500;
}
