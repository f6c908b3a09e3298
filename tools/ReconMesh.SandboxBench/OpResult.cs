namespace ReconMesh.SandboxBench;

/// <summary>One measured operation: mean wall and CPU time, managed bytes allocated, the answer's size, full collections during the loop.</summary>
internal sealed record OpResult(string Name, double WallMicros, double CpuMicros, double KilobytesAllocated, long BytesAnswered, int Gen2Collections);
