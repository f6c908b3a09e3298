using System.ComponentModel.DataAnnotations;
using System.Globalization;
using ReconMesh.Domain.Writeback;

namespace ReconMesh.WritebackService.Waits;

/// <summary>
/// How writes and reversals that fail for a transient cause are waited for (<c>ReconMesh:Writeback</c>): the tiers of
/// the wait queues, the horizon after which a person is asked, and the short retry in the consumer's slot before a wait.
/// </summary>
public sealed class TransientWaitOptions
{
    public const string Section = "ReconMesh:Writeback";

    /// <summary>How long after the first transient failure a command is still waited for; six hours by default.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan TransientHorizon { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// The waits, shortest first, comma-separated (each a TimeSpan): the n-th wait of a command takes the n-th, every wait
    /// after the last takes the last. Each tier is a queue of its own per endpoint (its name carries the wait).
    /// </summary>
    [Required]
    public string TransientWaitTiers { get; set; } = "00:00:05,00:00:30,00:02:00,00:10:00";

    /// <summary>Retries in the consumer's slot (the bus's retry policy) before a transient failure waits aside.</summary>
    [Range(0, 5)]
    public int TransientInSlotRetries { get; set; } = 2;

    /// <summary>The tiers as waits; empty when one does not read as a wait between 100 ms and one day.</summary>
    public IReadOnlyList<TimeSpan> Tiers()
    {
        var tiers = new List<TimeSpan>();
        foreach (var part in TransientWaitTiers.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!TimeSpan.TryParse(part, CultureInfo.InvariantCulture, out var tier) || tier < TimeSpan.FromMilliseconds(100) || tier > TimeSpan.FromDays(1))
            {
                return [];
            }

            tiers.Add(tier);
        }

        return tiers;
    }

    public TransientWaitPolicy Policy() => new(Tiers(), TransientHorizon);
}
