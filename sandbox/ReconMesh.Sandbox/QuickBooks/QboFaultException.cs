namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>
/// A fault the simulator answers with, in QuickBooks' envelope
/// <c>{"Fault":{"Error":[{"Message","Detail","code","element"}],"type"},"time"}</c>.
/// </summary>
public sealed class QboFaultException : Exception
{
    public QboFaultException(int status, string code, string message, string detail, string element = "", string type = "ValidationFault")
        : base(message)
    {
        Status = status;
        Code = code;
        Detail = detail;
        Element = element;
        FaultType = type;
    }

    public QboFaultException()
        : this("A fault occurred")
    {
    }

    public QboFaultException(string message)
        : this(400, "2010", message, message)
    {
    }

    public QboFaultException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = 400;
        Code = "2010";
        Detail = message;
        Element = "";
        FaultType = "ValidationFault";
    }

    /// <summary>HTTP status of the response.</summary>
    public int Status { get; }

    /// <summary>QuickBooks' error code, a string such as <c>"5010"</c>.</summary>
    public string Code { get; }

    public string Detail { get; }

    public string Element { get; }

    /// <summary><c>ValidationFault</c>, <c>SystemFault</c>, <c>SERVICE</c>…</summary>
    public string FaultType { get; }
}

/// <summary>The faults QuickBooks documents, with its wording.</summary>
internal static class QboFaults
{
    public const string BusinessValidationMessage = "A business validation error has occurred while processing your request";

    public static QboFaultException Stale(string entity) => new(400, "5010", "Stale Object Error",
        "Stale Object Error : You and sandbox user were working on this at the same time. sandbox user finished before you did, so your work was not saved. Entity=" + entity,
        "SyncToken");

    public static QboFaultException NotFound(bool deleted) => new(400, "610", "Object Not Found",
        deleted
            ? "Object Not Found : Another user has deleted this transaction."
            : "Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts.");

    public static QboFaultException InvalidReference(string element, string what) => new(400, "2500", "Invalid Reference Id",
        $"Invalid Reference Id : Something you're trying to use has been made inactive. Check the fields with accounts. {what}", element);

    public static QboFaultException Business(string detail, string element = "") =>
        new(400, "6000", BusinessValidationMessage, "Business Validation Error: " + detail, element);

    public static QboFaultException DuplicateName(string existingId) => new(400, "6240", "Duplicate Name Exists Error",
        "The name supplied already exists. : Id=" + existingId, "DisplayName");

    public static QboFaultException Deposited() => new(400, "6540", "Deposited Transaction cannot be changed",
        "This transaction has been deposited. If you want to change or delete it, you must edit the deposit it appears on and remove it first.");

    public static QboFaultException DuplicateDocNumber() => new(400, "6140", "Duplicate Document Number Error",
        "Duplicate Document Number Error : You must specify a different number. This number has already been used.", "DocNumber");

    public static QboFaultException Required(string parameter) => new(400, "2020",
        "Required param missing, need to supply the required value for the API",
        $"Required parameter {parameter} is missing in the request", parameter);

    public static QboFaultException InvalidProperty(string detail, string element) => new(400, "2010",
        "Request has invalid or unsupported property", $"Property Name:{detail} specified is unsupported or invalid", element);

    public static QboFaultException InvalidEnumeration(string element, string value) => new(400, "2170", "Invalid Enumeration",
        $"Invalid Enumeration : {value}", element);

    public static QboFaultException StringLength(string element, int max, int supplied) => new(400, "2050",
        "String length is either shorter or longer than supported by specification",
        $"String length specified does not match the supported length. Min:0 Max:{max} supplied:{supplied}", element);

    public static QboFaultException AmountCalculation(string element, decimal amount) => new(400, "6070",
        "Amount calculation incorrect in the request", $"Amount is not equal to UnitPrice * Qty. Supplied value:{amount}", element);

    public static QboFaultException Unsupported(string detail) => new(400, "500", "Unsupported Operation",
        $"Operation {detail} is not supported.");

    public static QboFaultException QueryParse(string detail) => new(400, "4000", "Error parsing query", "QueryParserError: " + detail);

    public static QboFaultException QueryInvalid(string detail) => new(400, "4001", "Invalid query", "QueryValidationError: " + detail);

    public static QboFaultException SystemFailure() => new(500, "10000", "An application error has occurred while processing your request",
        "System Failure Error: An unexpected error occurred in the QuickBooks simulator.", "", "SystemFault");
}
