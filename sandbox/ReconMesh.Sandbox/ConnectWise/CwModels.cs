using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>Who made a change, and the API base URL it was made through (for hrefs and callbacks).</summary>
internal sealed record CwActor(string Member, bool ViaApi, string BaseUrl)
{
    public const string ApiMember = "apiuser";
    public const string AdminMember = "admin1";
}

/// <summary>When and by whom an entity was entered and last changed (the <c>_info</c> block).</summary>
internal sealed class CwAudit(DateTimeOffset entered, string enteredBy)
{
    public DateTimeOffset DateEntered { get; } = entered;

    public string EnteredBy { get; } = enteredBy;

    public DateTimeOffset LastUpdated { get; private set; } = entered;

    public string UpdatedBy { get; private set; } = enteredBy;

    /// <summary>Counts the entity's changes, so that a cached rendering of it can tell it is out of date.</summary>
    public long Revision { get; private set; }

    public void Touch(DateTimeOffset now, string by)
    {
        LastUpdated = now > LastUpdated ? now : LastUpdated;
        UpdatedBy = by;
        Revision++;
    }

    /// <summary>The entity changed without counting as an update (no new lastUpdated): renderings are out of date.</summary>
    public void Changed() => Revision++;

    public JsonObject Info() => CwJson.Info(
        ("lastUpdated", CwJson.Stamp(LastUpdated)),
        ("updatedBy", UpdatedBy),
        ("dateEntered", CwJson.Stamp(DateEntered)),
        ("enteredBy", EnteredBy));
}

internal sealed class CwBillingStatus
{
    public required int Id { get; init; }

    public required string Name { get; init; }

    public int SortOrder { get; init; }

    public bool DefaultFlag { get; init; }

    public bool ClosedFlag { get; init; }

    public bool InactiveFlag { get; init; }

    public bool SentFlag { get; init; }

    public required CwAudit Audit { get; init; }
}

internal sealed record CwCurrency(int Id, string Code, string Symbol, string Name);

internal sealed class CwCompany
{
    public required int Id { get; init; }

    public required string Identifier { get; init; }

    public required string Name { get; init; }

    public string? AddressLine1 { get; init; }

    public string? City { get; init; }

    public string? State { get; init; }

    public string? Zip { get; init; }

    public string? PhoneNumber { get; init; }

    public string? Website { get; init; }

    public int? DefaultContactId { get; set; }

    public int? BillingContactId { get; set; }

    public string? InvoiceToEmailAddress { get; set; }

    public required CwCurrency Currency { get; init; }

    public required CwAudit Audit { get; init; }

    /// <summary>Its last JSON rendering, reused while nothing the rendering shows has changed.</summary>
    public CwRendering Rendering { get; } = new();
}

internal sealed record CwCommunicationItem(int Id, int TypeId, string TypeName, string Value, bool DefaultFlag, string CommunicationType);

internal sealed class CwContact
{
    public required int Id { get; init; }

    public required string FirstName { get; init; }

    public required string LastName { get; init; }

    public required int CompanyId { get; init; }

    public string? Title { get; init; }

    public bool InactiveFlag { get; init; }

    public bool DefaultFlag { get; init; }

    public bool DefaultBillingFlag { get; init; }

    public List<CwCommunicationItem> CommunicationItems { get; } = [];

    public required CwAudit Audit { get; init; }

    /// <summary>Its last JSON rendering, reused while nothing the rendering shows has changed.</summary>
    public CwRendering Rendering { get; } = new();

    public string FullName => FirstName + " " + LastName;
}

internal sealed class CwInvoice
{
    public required int Id { get; init; }

    public required string InvoiceNumber { get; set; }

    public required string Type { get; init; }

    public required int StatusId { get; set; }

    public required int CompanyId { get; init; }

    public required int BillToCompanyId { get; init; }

    public required DateTimeOffset Date { get; set; }

    public DateTimeOffset? DueDate { get; set; }

    public required CwCurrency Currency { get; init; }

    public decimal Subtotal { get; set; }

    public decimal SalesTax { get; set; }

    public decimal Total { get; set; }

    public decimal Payments { get; set; }

    public decimal Credits { get; set; }

    public decimal Balance => Total - Payments - Credits;

    /// <summary>Fields of ConnectWise's Invoice that the simulator stores and echoes without interpreting (reference, customerPO…).</summary>
    public JsonObject Extra { get; } = [];

    public List<int> PaymentIds { get; } = [];

    public required CwAudit Audit { get; init; }

    /// <summary>Its last JSON rendering, reused while nothing the rendering shows has changed.</summary>
    public CwRendering Rendering { get; } = new();
}

internal sealed class CwPayment
{
    public required int Id { get; init; }

    public required int InvoiceId { get; init; }

    public required string Type { get; init; }

    public required decimal Amount { get; init; }

    public required DateTimeOffset PaymentDate { get; init; }

    public string? AppliedBy { get; init; }

    public required CwAudit Audit { get; init; }
}

internal sealed class CwCallbackEntry
{
    public required int Id { get; init; }

    public string? Description { get; init; }

    public required string Url { get; init; }

    public required int ObjectId { get; init; }

    public required string Type { get; init; }

    public required string Level { get; init; }

    public int MemberId { get; init; }

    public string PayloadVersion { get; init; } = "1.0";

    public bool InactiveFlag { get; init; }

    public bool IsSoapCallbackFlag { get; init; }

    public bool IsSelfSuppressedFlag { get; init; }

    public required CwAudit Audit { get; init; }
}
