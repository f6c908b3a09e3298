namespace ReconMesh.Sandbox.Xero;

/// <summary>A customer (or supplier) of an organisation. Only touched under the organisation's lock.</summary>
internal sealed class XeroContact
{
    public required Guid ContactId { get; init; }

    public required string Name { get; set; }

    public string? ContactNumber { get; set; }

    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    public string? EmailAddress { get; set; }

    /// <summary>ACTIVE or ARCHIVED.</summary>
    public string ContactStatus { get; set; } = "ACTIVE";

    public List<XeroContactPerson> ContactPersons { get; } = [];

    public DateTimeOffset UpdatedUtc { get; set; }
}
