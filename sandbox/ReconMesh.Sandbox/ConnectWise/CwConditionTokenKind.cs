namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>What a token of a conditions string is.</summary>
internal enum CwConditionTokenKind
{
    Word,
    String,
    Number,
    Date,
    Symbol,
    End,
}
