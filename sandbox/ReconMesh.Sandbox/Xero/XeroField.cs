namespace ReconMesh.Sandbox.Xero;

/// <summary>A field of <typeparamref name="T"/> that a <c>where</c> clause may compare, and how to read it.</summary>
internal sealed record XeroField<T>(string Name, XeroFieldKind Kind, Func<T, object?> Read);
