namespace ReconMesh.Sandbox.Autotask;

/// <summary>
/// The texts of the simulator's errors. Those measured or quoted from Autotask's documentation are marked as such;
/// those marked [I] are the simulator's wording for a refusal whose exact text is not public.
/// </summary>
internal static class AutotaskMessages
{
    /// <summary>Zone look-up of an unknown user (measured by public integrations: 500 with this text).</summary>
    public const string ZoneUnknown = "Zone information could not be determined";

    /// <summary>More than 500 OR conditions (Autotask's documentation).</summary>
    public const string TooManyOrs = "Invalid query syntax. Queries are limited to 500 or fewer 'OR' conditions.";

    /// <summary>[I] A query without a usable search.</summary>
    public const string SearchRequired = "A search with at least one filter is required, e.g. {\"filter\":[{\"op\":\"gt\",\"field\":\"id\",\"value\":0}]}.";

    /// <summary>[I] The search is not JSON.</summary>
    public const string SearchNotJson = "The search is not valid JSON.";

    /// <summary>[I]</summary>
    public static string UnknownField(AutotaskEntity entity, string field) => $"Unable to find {field} in the {entity.Singular} Entity.";

    /// <summary>[I]</summary>
    public static string NotQueryable(AutotaskEntity entity, string field) => $"The {field} field of the {entity.Singular} Entity cannot be queried.";

    /// <summary>[I]</summary>
    public static string UnknownOperator(string op) => $"'{op}' is not a valid filter operator.";

    /// <summary>[I]</summary>
    public static string BadValue(string field, string op) => $"The value of the '{op}' filter on {field} is missing or of the wrong type.";

    /// <summary>[I]</summary>
    public const string BadMaxRecords = "MaxRecords must be between 1 and 500.";

    /// <summary>[I]</summary>
    public const string BadPaging = "The paging parameter is not valid.";

    /// <summary>[I] A field an update may not set (Invoices: only invoiceNumber, webServiceDate and paidDate).</summary>
    public static string ReadOnlyField(AutotaskEntity entity, long id, string field) =>
        $"{entity.Singular} {id}: the field {field} is read-only and cannot be updated.";

    /// <summary>[I]</summary>
    public static string BadFieldValue(AutotaskEntity entity, long id, string field) => $"{entity.Singular} {id}: the value of {field} is not valid.";

    /// <summary>[I]</summary>
    public static string NotFoundForUpdate(AutotaskEntity entity, long id) => $"{entity.Singular} {id} was not found.";

    /// <summary>[I]</summary>
    public const string UpdateNeedsId = "An update needs the id of the entity to change.";

    /// <summary>[I]</summary>
    public const string BodyNotObject = "The request body must be a JSON object.";

    /// <summary>[I] The hourly threshold is used up (calls are refused until the rolling hour frees some).</summary>
    public static string ThresholdExceeded(int perHour) =>
        $"Request limit exceeded: the database has made {perHour} API requests in the last 60 minutes. Requests are refused until usage drops below the threshold.";

    /// <summary>[I] The thread limit of one integration code on one object endpoint.</summary>
    public static string ThreadLimit(string endpoint, int threads) =>
        $"Thread limit exceeded: this integration already has {threads} concurrent requests to the {endpoint} endpoint.";
}
