using System.ComponentModel.DataAnnotations;

namespace ReconMesh.InvoiceIngest.Api;

/// <summary>How an operator's replay of a connection pages through the store (<c>ReconMesh:Replay</c>).</summary>
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
