namespace ReconMesh.Bench;

/// <summary>A bench event: in its own schema, so the mesh's streams and relays never see it.</summary>
public sealed record BenchAppended(Guid PaymentId, decimal Amount, string Note);
