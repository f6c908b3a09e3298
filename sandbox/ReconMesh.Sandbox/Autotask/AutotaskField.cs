namespace ReconMesh.Sandbox.Autotask;

/// <summary>The data type of a field, as <c>entityInformation/fields</c> names it.</summary>
internal enum AutotaskFieldKind
{
    Integer,
    Long,
    Decimal,
    String,
    Boolean,
    DateTime,
}

/// <summary>
/// One field of an entity: its name (camelCase, as the REST API writes it), type, whether a filter may use it
/// (Invoices' <c>dueDate</c> cannot be queried) and whether an update may set it.
/// </summary>
internal sealed record AutotaskField(string Name, AutotaskFieldKind Kind, bool Queryable = true, bool Updatable = false);
