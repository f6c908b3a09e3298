namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>Settings of the ConnectWise PSA simulator, read from the <c>Sandbox:ConnectWise</c> configuration section.</summary>
public sealed class ConnectWiseSimulatorOptions
{
    /// <summary>Configuration section the options are read from.</summary>
    public const string SectionName = "Sandbox:ConnectWise";

    /// <summary>Company id (the login company) of the site that exists from start.</summary>
    public string CompanyId { get; set; } = "reconmesh";

    /// <summary>API member public key of the default site.</summary>
    public string PublicKey { get; set; } = "sandbox-public";

    /// <summary>API member private key of the default site.</summary>
    public string PrivateKey { get; set; } = "sandbox-private";

    /// <summary>The <c>clientId</c> header value the default site accepts.</summary>
    public string ClientId { get; set; } = "00000000-0000-4000-8000-00000000c11e";

    /// <summary>Requests per site in any 60-second window before HTTP 429 (0 disables the limit).</summary>
    public int RequestsPerMinute { get; set; }
}
