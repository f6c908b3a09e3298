namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>One token of a conditions string and where it starts (0-based).</summary>
internal readonly record struct CwConditionToken(CwConditionTokenKind Kind, string Text, int Position);
