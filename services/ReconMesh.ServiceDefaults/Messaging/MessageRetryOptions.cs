using System.ComponentModel.DataAnnotations;

namespace ReconMesh.ServiceDefaults.Messaging;

/// <summary>
/// The retries every endpoint gives a failing message in its consumer slot before it faults (<c>ReconMesh:Messaging:Retry</c>):
/// exponential from <see cref="MinInterval"/> to <see cref="MaxInterval"/>, <see cref="Limit"/> times. By default
/// 5 retries from 200 ms to 10 s (about 17 s in all): a brief fault rides them out; a longer one is the business of
/// the waits that hold no slot (docs/reliability.md). A failure because the database is away (a transient
/// <see cref="System.Data.Common.DbException"/>) is first held in the slot within each attempt
/// (<see cref="DatabaseOutageFilter{T}"/>): tried again every <see cref="OutageInterval"/>, up to <see cref="OutageLimit"/>
/// times (ten minutes by default): an outage is no reason for the error queue, which nothing retries.
/// </summary>
public sealed class MessageRetryOptions
{
    public const string Section = "ReconMesh:Messaging:Retry";

    [Range(0, 20)]
    public int Limit { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan MaxInterval { get; set; } = TimeSpan.FromSeconds(10);

    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan IntervalDelta { get; set; } = TimeSpan.FromMilliseconds(500);

    [Range(0, 10000)]
    public int OutageLimit { get; set; } = 60;

    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan OutageInterval { get; set; } = TimeSpan.FromSeconds(10);
}
