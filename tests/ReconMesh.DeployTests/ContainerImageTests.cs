using System.Xml.Linq;
using k8s.Models;

namespace ReconMesh.DeployTests;

/// <summary>The images the deployments name are the ones the service projects build.</summary>
[TestFixture]
public sealed class ContainerImageTests
{
    [Test]
    public void Every_deployment_runs_an_image_a_service_project_builds_with_the_same_tag_as_the_chart_and_compose()
    {
        // The three services and the sandbox (which ships as an image too: ADR 7).
        var projects = new[] { "services", "sandbox" }
            .SelectMany(home => Directory.EnumerateFiles(RepositoryRoot.Combine(home), "*.csproj", SearchOption.AllDirectories))
            .Select(path => (Path: path, Xml: XDocument.Load(path)))
            .Select(p => (p.Path,
                Repository: p.Xml.Descendants("ContainerRepository").SingleOrDefault()?.Value,
                Tag: p.Xml.Descendants("ContainerImageTag").SingleOrDefault()?.Value,
                User: p.Xml.Descendants("ContainerUser").SingleOrDefault()?.Value))
            .Where(p => p.Repository is not null)
            .ToDictionary(p => p.Repository!);
        var manifests = Manifests.Load(RepositoryRoot.Combine("deploy", "k8s"));
        var chart = File.ReadAllText(RepositoryRoot.Combine("deploy", "helm", "reconmesh", "Chart.yaml"));
        var compose = File.ReadAllText(RepositoryRoot.Combine("deploy", "compose.yaml"));

        Assert.Multiple(() =>
        {
            foreach (var d in manifests.OfType<V1Deployment>())
            {
                var container = d.Spec.Template.Spec.Containers.Single();
                var (repository, tag) = (container.Image[..container.Image.LastIndexOf(':')], container.Image[(container.Image.LastIndexOf(':') + 1)..]);
                Assert.That(projects.ContainsKey(repository), Is.True, $"a service project has <ContainerRepository>{repository}</ContainerRepository>");
                if (!projects.TryGetValue(repository, out var project))
                {
                    continue;
                }

                Assert.That(project.Tag, Is.EqualTo(tag), $"{project.Path}: ContainerImageTag = the tag in deploy/k8s");
                Assert.That(project.User, Is.EqualTo(d.Spec.Template.Spec.SecurityContext.RunAsUser?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    $"{project.Path}: ContainerUser = runAsUser");
                Assert.That(chart, Does.Contain($"appVersion: \"{tag}\""), "Chart.yaml appVersion (the chart's default tag)");
                Assert.That(compose, Does.Contain($"\"{repository}:${{RECONMESH_IMAGE_TAG:-{tag}}}\""), "compose.yaml image");
            }
        });
    }
}
