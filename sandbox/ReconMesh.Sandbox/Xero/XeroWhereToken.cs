namespace ReconMesh.Sandbox.Xero;

/// <summary>One token of a <c>where</c> clause: an identifier, a string or number literal, or a symbol.</summary>
internal sealed record XeroWhereToken(XeroWhereTokenKind Kind, string Text, int Position);
