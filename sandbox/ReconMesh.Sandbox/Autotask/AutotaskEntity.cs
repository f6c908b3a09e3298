using K = ReconMesh.Sandbox.Autotask.AutotaskFieldKind;

namespace ReconMesh.Sandbox.Autotask;

/// <summary>
/// The entities the simulator serves, with their fields in the order the REST API writes them. Field names follow
/// Autotask's entity reference (Invoices: id, companyID, invoiceNumber, invoiceDateTime, invoiceTotal, totalTaxValue,
/// paidDate, isVoided, voidedDate, dueDate, webServiceDate, …). Invoices cannot be created over the API and only
/// <c>invoiceNumber</c>, <c>webServiceDate</c> and <c>paidDate</c> can be updated; <c>dueDate</c> and
/// <c>taxRegionName</c> cannot be queried. Companies and Contacts carry <c>userDefinedFields</c> (empty here).
/// </summary>
internal sealed class AutotaskEntity
{
    public static readonly AutotaskEntity Invoices = new("Invoices", "Invoice", hasUserDefinedFields: false,
    [
        new("id", K.Long), new("companyID", K.Integer), new("invoiceNumber", K.String, Updatable: true), new("invoiceDateTime", K.DateTime),
        new("createDateTime", K.DateTime), new("creatorResourceID", K.Integer), new("invoiceTotal", K.Decimal), new("totalTaxValue", K.Decimal),
        new("paidDate", K.DateTime, Updatable: true), new("isVoided", K.Boolean), new("voidedDate", K.DateTime), new("voidedByResourceID", K.Integer),
        new("dueDate", K.DateTime, Queryable: false), new("paymentTerm", K.Integer), new("batchID", K.Integer), new("fromDate", K.DateTime),
        new("toDate", K.DateTime), new("orderNumber", K.String), new("comments", K.String), new("invoiceEditorTemplateID", K.Integer),
        new("taxGroup", K.Integer), new("taxRegionName", K.String, Queryable: false), new("webServiceDate", K.DateTime, Updatable: true),
    ]);

    public static readonly AutotaskEntity Companies = new("Companies", "Company", hasUserDefinedFields: true,
    [
        new("id", K.Long), new("companyName", K.String), new("companyNumber", K.String), new("companyType", K.Integer), new("isActive", K.Boolean),
        new("phone", K.String), new("address1", K.String), new("city", K.String), new("state", K.String), new("postalCode", K.String),
        new("countryID", K.Integer), new("billToAttention", K.String), new("billToAddress1", K.String), new("billToCity", K.String),
        new("billToState", K.String), new("billToZipCode", K.String), new("invoiceMethod", K.Integer), new("taxID", K.String),
        new("webAddress", K.String), new("ownerResourceID", K.Integer), new("createDate", K.DateTime), new("lastActivityDate", K.DateTime),
        new("lastTrackedModifiedDateTime", K.DateTime),
    ]);

    public static readonly AutotaskEntity Contacts = new("Contacts", "Contact", hasUserDefinedFields: true,
    [
        new("id", K.Long), new("companyID", K.Integer), new("firstName", K.String), new("lastName", K.String), new("title", K.String),
        new("emailAddress", K.String), new("phone", K.String), new("isActive", K.Integer), new("primaryContact", K.Boolean),
        new("createDate", K.DateTime), new("lastActivityDate", K.DateTime), new("lastModifiedDate", K.DateTime),
    ]);

    public static readonly IReadOnlyList<AutotaskEntity> All = [Invoices, Companies, Contacts];

    private readonly Dictionary<string, AutotaskField> _byName;

    private AutotaskEntity(string name, string singular, bool hasUserDefinedFields, AutotaskField[] fields)
    {
        Name = name;
        Singular = singular;
        HasUserDefinedFields = hasUserDefinedFields;
        Fields = fields;
        _byName = fields.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The entity's path segment (plural, e.g. <c>Invoices</c>).</summary>
    public string Name { get; }

    /// <summary>The entity's singular name, as error messages use it.</summary>
    public string Singular { get; }

    public bool HasUserDefinedFields { get; }

    public IReadOnlyList<AutotaskField> Fields { get; }

    /// <summary>The entity a path segment names (ignoring case, as Autotask does), or null.</summary>
    public static AutotaskEntity? Find(string segment) =>
        All.FirstOrDefault(e => string.Equals(e.Name, segment, StringComparison.OrdinalIgnoreCase));

    /// <summary>The field of that name (ignoring case: filters and IncludeFields are not case-sensitive), or null.</summary>
    public AutotaskField? Field(string name) => _byName.GetValueOrDefault(name);
}
