namespace ReconMesh.Sandbox.Xero;

/// <summary>The type of a field a <c>where</c> clause may name, as Xero's parser reports it in its messages.</summary>
internal enum XeroFieldKind
{
    String,
    Guid,
    Date,
    DateTime,
    Decimal,
}
