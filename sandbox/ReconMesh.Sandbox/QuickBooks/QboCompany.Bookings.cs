using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>
/// A Payment as it was created, with the moment on this machine's monotonic clock (<see cref="Stopwatch.GetTimestamp"/>,
/// CLOCK_MONOTONIC on Linux, shared by every process of the machine). Not part of Intuit's API: benchmarks time a payment
/// from its publish to its booking on one clock, without the latency of polling the query API.
/// </summary>
public sealed record QboBooking(string Id, string? PaymentRefNum, long BookedAt);

internal sealed partial class QboCompany
{
    private readonly List<QboBooking> _bookings = [];

    /// <summary>The Payments created so far, in creation order, from <paramref name="from"/> (at most <paramref name="max"/>).</summary>
    public IReadOnlyList<QboBooking> Bookings(int from, int max) =>
        from >= _bookings.Count ? [] : _bookings.GetRange(from, Math.Min(max, _bookings.Count - from));

    private void NoteBooking(string id, JsonObject doc) => _bookings.Add(new QboBooking(id, QboJson.GetString(doc, "PaymentRefNum"), Stopwatch.GetTimestamp()));
}
