namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>One entry of the <c>errors</c> array of a ConnectWise error body.</summary>
public sealed record CwValidationError(string Code, string Message, string Resource, string Field);

/// <summary>
/// An error the simulator answers with, in ConnectWise's body
/// <c>{"code":"…","message":"…","errors":[{"code","message","resource","field"}]}</c>.
/// </summary>
public sealed class CwErrorException : Exception
{
    public CwErrorException(int status, string code, string message, IReadOnlyList<CwValidationError>? errors = null)
        : base(message)
    {
        Status = status;
        Code = code;
        Errors = errors ?? [];
    }

    public CwErrorException()
        : this("An error occurred")
    {
    }

    public CwErrorException(string message)
        : this(400, "InvalidObject", message)
    {
    }

    public CwErrorException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = 400;
        Code = "InvalidObject";
        Errors = [];
    }

    /// <summary>HTTP status of the response.</summary>
    public int Status { get; }

    /// <summary>ConnectWise's error code, e.g. <c>InvalidObject</c>, <c>NotFound</c>.</summary>
    public string Code { get; }

    /// <summary>Field errors; empty when there are none (the <c>errors</c> key is then omitted).</summary>
    public IReadOnlyList<CwValidationError> Errors { get; }
}

/// <summary>The errors the simulator produces, with ConnectWise's codes and wording where known.</summary>
internal static class CwErrors
{
    public const string ConditionsHelp =
        "String values should be enclosed with double or single quotes; DateTime values should be enclosed in square brackets; " +
        "numbers should consist of only digits, and optionally a decimal point and a negation sign; boolean values should be " +
        "indicated with the keywords true or false; null values should be indicated by the keyword null.";

    public static CwErrorException Invalid(string resource, params CwValidationError[] errors) =>
        new(400, "InvalidObject", $"{resource} object is invalid", errors);

    public static CwErrorException Field(string resource, string field, string code, string message) =>
        Invalid(resource, new CwValidationError(code, message, resource, field));

    public static CwErrorException Required(string resource, string field) =>
        Field(resource, field, "NullValue", $"The {field} field is required.");

    public static CwErrorException BadRequest(string message) => new(400, "InvalidObject", message);

    public static CwErrorException Conditions(string message) => new(400, "InvalidObject", message);

    public static CwErrorException NotFound(string message) => new(404, "NotFound", message);

    public static CwErrorException MethodNotAllowed(string method, string path) =>
        new(405, "MethodNotAllowed", $"The requested resource does not support http method '{method}'. ({path})");

    public static CwErrorException Unauthorized() => new(401, "Unauthorized", "Authentication failed: the Authorization header must be Basic base64(companyId+publicKey:privateKey) with valid API member keys.");

    public static CwErrorException InvalidClientId() => new(401, "Unauthorized", "The clientId header does not identify a registered integration for this site.");

    public static CwErrorException MissingClientId() => new(400, "InvalidObject", "clientId header is required. Please see https://developer.connectwise.com/ClientID for details.",
        [new CwValidationError("NullValue", "The clientId header is required.", "request", "clientId")]);

    public static CwErrorException Throttled(int retryAfterSeconds) => new(429, "TooManyRequests",
        $"Rate limit exceeded for this site. Retry after {retryAfterSeconds} seconds.");
}
