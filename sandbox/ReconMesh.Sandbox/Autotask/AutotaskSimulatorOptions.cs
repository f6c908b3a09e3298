namespace ReconMesh.Sandbox.Autotask;

/// <summary>Settings of the Autotask PSA simulator, read from the <c>Sandbox:Autotask</c> configuration section.</summary>
public sealed class AutotaskSimulatorOptions
{
    /// <summary>Configuration section the options are read from.</summary>
    public const string SectionName = "Sandbox:Autotask";

    /// <summary>Id of the database (Autotask instance) that exists from start.</summary>
    public string DatabaseId { get; set; } = "sandbox";

    /// <summary>API user (the <c>UserName</c> header, and <c>?user=</c> of the zone look-up) of the default database.</summary>
    public string UserName { get; set; } = "sandbox-api@reconmesh.test";

    /// <summary>The API user's <c>Secret</c>.</summary>
    public string Secret { get; set; } = "sandbox-autotask-secret";

    /// <summary>The API user's tracking identifier (<c>ApiIntegrationCode</c>).</summary>
    public string IntegrationCode { get; set; } = "RECONMESHSANDBOXCODE";

    /// <summary>Requests per database in any rolling 60 minutes, shared by every integration code (Autotask: 10,000; 0 turns it off).</summary>
    public int RequestsPerHour { get; set; } = 10_000;

    /// <summary>Calls in flight at once per integration code and object endpoint (Autotask, integrations since 2023.1: 3; 0 turns it off).</summary>
    public int ThreadsPerEndpoint { get; set; } = 3;

    /// <summary>Latency added to each call once the hour's use reaches 50% (Autotask: 0.5 s).</summary>
    public int HalfUseLatencyMs { get; set; } = 500;

    /// <summary>Latency added to each call once the hour's use reaches 75% (Autotask: 1 s).</summary>
    public int ThreeQuarterUseLatencyMs { get; set; } = 1000;

    /// <summary>Name the zone look-up answers (<c>zoneName</c>).</summary>
    public string ZoneName { get; set; } = "Sandbox Zone";
}
