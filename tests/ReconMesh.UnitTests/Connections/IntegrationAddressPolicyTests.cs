using System.Net;
using Microsoft.Extensions.Configuration;
using ReconMesh.Contracts;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.Http;

namespace ReconMesh.UnitTests.Connections;

/// <summary>Which hosts and addresses a connection's credentials may be sent to (the rules; the integration tests show them applied).</summary>
public sealed class IntegrationAddressPolicyTests
{
    private static IntegrationAddressPolicy Policy(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
        var policy = IntegrationAddressPolicy.FromConfiguration(configuration, out var problems);
        Assert.That(problems, Is.Empty);
        return policy;
    }

    [TestCase(IntegrationKind.QuickBooksOnline, "quickbooks.api.intuit.com")]
    [TestCase(IntegrationKind.QuickBooksOnline, "sandbox-quickbooks.api.intuit.com")]
    [TestCase(IntegrationKind.ConnectWisePsa, "api-na.myconnectwise.net")]
    [TestCase(IntegrationKind.ConnectWisePsa, "API-EU.MyConnectWise.net")]
    [TestCase(IntegrationKind.ConnectWisePsa, "staging.connectwisedev.com")]
    public void By_default_the_real_services_hosts_are_allowed(IntegrationKind kind, string host) =>
        Assert.That(Policy().HostProblem(kind, host), Is.Null);

    [TestCase(IntegrationKind.QuickBooksOnline, "api-na.myconnectwise.net")]
    [TestCase(IntegrationKind.QuickBooksOnline, "quickbooks.api.intuit.com.attacker.example")]
    [TestCase(IntegrationKind.QuickBooksOnline, "127.0.0.1")]
    [TestCase(IntegrationKind.QuickBooksOnline, "localhost")]
    [TestCase(IntegrationKind.ConnectWisePsa, "evil-myconnectwise.net")]
    public void By_default_nothing_else_is(IntegrationKind kind, string host) =>
        Assert.That(Policy().HostProblem(kind, host), Does.Contain($"{host} is not an allowed {kind} host"));

    [Test]
    public void A_wildcard_allows_subdomains_only()
    {
        var policy = Policy(($"{IntegrationAddressPolicy.AllowedHostsSection}:ConnectWisePsa", "*.psa.example.com"));
        Assert.That(policy.HostProblem(IntegrationKind.ConnectWisePsa, "acme.psa.example.com"), Is.Null);
        Assert.That(policy.HostProblem(IntegrationKind.ConnectWisePsa, "psa.example.com"), Is.Not.Null);
        Assert.That(policy.HostProblem(IntegrationKind.ConnectWisePsa, "acme.psa.example.com.evil"), Is.Not.Null);
        Assert.That(policy.HostProblem(IntegrationKind.ConnectWisePsa, "api-na.myconnectwise.net"), Is.Not.Null, "configured hosts replace the defaults");
    }

    [TestCase("169.254.169.254", "link-local")]
    [TestCase("10.0.0.1", "private")]
    [TestCase("172.20.1.1", "private")]
    [TestCase("192.168.1.10", "private")]
    [TestCase("100.64.0.1", "carrier-grade NAT")]
    [TestCase("127.0.0.1", "loopback")]
    [TestCase("0.0.0.0", "unspecified")]
    [TestCase("::1", "loopback")]
    [TestCase("::", "unspecified")]
    [TestCase("fe80::1", "link-local")]
    [TestCase("fd00::1", "unique-local")]
    [TestCase("::ffff:10.0.0.1", "private")]
    [TestCase("::ffff:169.254.169.254", "link-local")]
    [TestCase("64:ff9b::a9fe:a9fe", "link-local")]
    [TestCase("224.0.0.1", "multicast")]
    public void Addresses_off_the_public_internet_are_refused_after_resolution(string address, string what) =>
        Assert.That(Policy().AddressProblem("books.example", IPAddress.Parse(address)), Does.Contain("books.example resolves to").And.Contain(what));

    [TestCase("8.8.8.8")]
    [TestCase("2606:4700:4700::1111")]
    public void Public_addresses_are_not(string address) =>
        Assert.That(Policy().AddressProblem("books.example", IPAddress.Parse(address)), Is.Null);

    [Test]
    public void An_allowed_private_network_lets_exactly_its_addresses_through()
    {
        var policy = Policy((IntegrationAddressPolicy.AllowedPrivateNetworksKey, "127.0.0.1/32, 10.1.0.0/16"));
        Assert.That(policy.AddressProblem("127.0.0.1", IPAddress.Parse("127.0.0.1")), Is.Null);
        Assert.That(policy.AddressProblem("10.1.2.3", IPAddress.Parse("10.1.2.3")), Is.Null);
        Assert.That(policy.AddressProblem("127.0.0.2", IPAddress.Parse("127.0.0.2")), Does.StartWith("127.0.0.2 is a loopback address"));
        Assert.That(policy.AddressProblem("10.2.0.1", IPAddress.Parse("10.2.0.1")), Does.StartWith("10.2.0.1 is a private address"));
    }

    [Test]
    public void Malformed_settings_are_named()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [IntegrationAddressPolicy.AllowedPrivateNetworksKey] = "not-a-network",
            [IntegrationAddressPolicy.MaxAnswerBytesKey] = "-1",
        }).Build();

        IntegrationAddressPolicy.FromConfiguration(configuration, out var problems);

        Assert.That(problems, Has.Count.EqualTo(2));
        Assert.That(problems, Has.Some.Contains(IntegrationAddressPolicy.AllowedPrivateNetworksKey).And.Some.Contains(IntegrationAddressPolicy.MaxAnswerBytesKey));
    }

    [Test]
    public void A_configured_connection_at_a_host_its_kind_does_not_allow_stops_the_process_with_the_setting_named()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ReconMesh:Connections:0:Id"] = Guid.NewGuid().ToString(),
            ["ReconMesh:Connections:0:TenantId"] = "acme",
            ["ReconMesh:Connections:0:Kind"] = "QuickBooksOnline",
            ["ReconMesh:Connections:0:BaseUrl"] = "http://169.254.169.254/",
            ["ReconMesh:Connections:0:RealmId"] = "9130357766900456",
            ["ReconMesh:Connections:0:AccessToken"] = "token",
        }).Build();

        ConnectionCatalog.FromConfiguration(configuration, out var problems);

        Assert.That(problems, Is.EqualTo(new[]
        {
            "ReconMesh:Connections:0:BaseUrl: 169.254.169.254 is not an allowed QuickBooksOnline host (allowed: quickbooks.api.intuit.com, " +
            "sandbox-quickbooks.api.intuit.com; setting ReconMesh:Integrations:AllowedHosts:QuickBooksOnline)",
        }));
    }
}
