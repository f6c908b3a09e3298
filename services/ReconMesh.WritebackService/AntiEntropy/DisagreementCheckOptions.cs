using System.ComponentModel.DataAnnotations;

namespace ReconMesh.WritebackService.AntiEntropy;

/// <summary>The scheduled disagreement check (<c>ReconMesh:Writeback:DisagreementCheck</c>; ADR 10).</summary>
public sealed class DisagreementCheckOptions
{
    public const string Section = "ReconMesh:Writeback:DisagreementCheck";

    /// <summary>How often the check runs; <c>00:00:00</c> turns it off. Every 5 minutes by default.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A payment that has waited this long for invoices InvoiceIngest holds is a disagreement: InvoiceIngest is asked for
    /// them again. Longer than a wait that its own first request ends (seconds); 5 minutes by default.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan WaitingLongerThan { get; set; } = TimeSpan.FromMinutes(5);
}
