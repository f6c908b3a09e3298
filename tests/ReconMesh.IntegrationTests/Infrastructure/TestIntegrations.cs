using ReconMesh.Integrations.Http;

namespace ReconMesh.IntegrationTests.Infrastructure;

/// <summary>
/// Where the services started by the tests may reach their integrations: the sandbox, on 127.0.0.1, allowed explicitly
/// (as <c>deploy/local/processes.sh</c> allows it for ./run). A deployment allows no loopback address; a test that shows
/// a refusal overrides these.
/// </summary>
public static class TestIntegrations
{
    public static IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        [$"{IntegrationAddressPolicy.AllowedHostsSection}:QuickBooksOnline"] = "127.0.0.1",
        [$"{IntegrationAddressPolicy.AllowedHostsSection}:ConnectWisePsa"] = "127.0.0.1",
        [$"{IntegrationAddressPolicy.AllowedHostsSection}:Xero"] = "127.0.0.1",
        [$"{IntegrationAddressPolicy.AllowedHostsSection}:AutotaskPsa"] = "127.0.0.1",
        [IntegrationAddressPolicy.AllowedPrivateNetworksKey] = "127.0.0.1/32",
    };
}
