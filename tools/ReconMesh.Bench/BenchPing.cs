namespace ReconMesh.Bench;

/// <summary>A bench message: on its own exchange and queue, so the mesh never sees it.</summary>
public sealed record BenchPing(int Sequence, DateTimeOffset SentAt, string Payload);
