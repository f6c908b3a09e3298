namespace ReconMesh.Sandbox.Xero;

/// <summary>The outcome of validating one element of a write: the draft to apply, or the messages of its ValidationErrors.</summary>
internal sealed record XeroCheck<T>(T? Draft, IReadOnlyList<string> Errors)
    where T : class;
