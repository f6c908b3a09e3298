namespace ReconMesh.Demo.Chaos;

/// <summary>One tenant and its integration, as the run drives and checks it.</summary>
internal sealed record ChaosTenant(string Kind, string Id, DemoLedger Ledger)
{
    public ChaosBooks.Books Before { get; set; } = new([], new Dictionary<string, decimal>());
}
