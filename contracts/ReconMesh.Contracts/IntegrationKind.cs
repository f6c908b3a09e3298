namespace ReconMesh.Contracts;

/// <summary>The kind of system a connection links a tenant to.</summary>
public enum IntegrationKind
{
    /// <summary>QuickBooks Online (Intuit Accounting API v3).</summary>
    QuickBooksOnline = 1,

    /// <summary>ConnectWise PSA (Manage REST API 3.0).</summary>
    ConnectWisePsa = 2,

    /// <summary>Xero (Accounting API 2.0).</summary>
    Xero = 3,

    /// <summary>Autotask PSA (Datto, REST API v1.0).</summary>
    AutotaskPsa = 4,
}
