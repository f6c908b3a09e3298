namespace ReconMesh.Sandbox.Xero;

internal enum XeroWhereTokenKind
{
    Identifier,
    String,
    Number,
    Symbol,
    End,
}
