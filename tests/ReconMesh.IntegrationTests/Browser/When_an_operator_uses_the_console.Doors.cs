using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ReconMesh.IntegrationTests.Browser;

/// <summary>Nobody gets in by default: every page of the console's routing table needs a session, but a few that say why.</summary>
public sealed partial class When_an_operator_uses_the_console
{
    /// <summary>The pages open to anyone: the probes, signing in and out, and the pages that say a session ended or what went wrong.</summary>
    private static readonly string[] OpenToAnyone = ["/health/live", "/health/ready", "/signin", "/signout", "/session-ended", "/status/{code:int}", "/error"];

    [Test]
    public async Task Every_page_but_the_probes_and_the_sign_in_pages_sends_a_stranger_to_sign_in()
    {
        var endpoints = _console.Console.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var anonymous = endpoints.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null).Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Distinct().Order(StringComparer.Ordinal).ToList();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _console.Address };
        var wrong = new List<string>();
        foreach (var endpoint in endpoints.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null))
        {
            var path = Regex.Replace("/" + endpoint.RoutePattern.RawText!.TrimStart('/'), @"\{(\w+)(:[^}]*)?\}", m => m.Groups[1].Value switch
            {
                "tenant" => _mesh.Tenant,
                "decision" => "retry",
                _ => Guid.NewGuid().ToString(),
            });
            using var answer = await http.GetAsync(path);
            var to = answer.Headers.Location is { } l ? (l.IsAbsoluteUri ? l.AbsolutePath : l.OriginalString.Split('?')[0]) : null;
            if (answer.StatusCode != HttpStatusCode.Redirect || to != "/signin")
            {
                wrong.Add($"{path}: {(int)answer.StatusCode} {answer.Headers.Location}");
            }
        }

        Assert.That(anonymous, Is.EquivalentTo(OpenToAnyone));
        Assert.That(endpoints.Count - anonymous.Count, Is.GreaterThanOrEqualTo(8), "the console's pages were found");
        Assert.That(wrong, Is.Empty);
    }
}
