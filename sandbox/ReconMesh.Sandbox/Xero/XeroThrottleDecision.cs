namespace ReconMesh.Sandbox.Xero;

/// <summary>
/// What the throttle said about one call: admitted (with the calls left, null where a limit is off), or refused with the
/// limit that was hit (<c>minute</c>, <c>day</c> or <c>concurrent</c>, as in <c>X-Rate-Limit-Problem</c>) and the seconds
/// until a retry can succeed (null for the concurrent limit, which frees up as soon as a call ends).
/// </summary>
internal sealed record XeroThrottleDecision(bool Admitted, string? Problem, int? RetryAfterSeconds, int? MinuteRemaining, int? DayRemaining);
