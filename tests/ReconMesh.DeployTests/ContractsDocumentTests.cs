using ReconMesh.ContractsDoc;

namespace ReconMesh.DeployTests;

/// <summary>docs/contracts.md is what connector teams read: it must say what the contracts assembly says.</summary>
[TestFixture]
public sealed class ContractsDocumentTests
{
    [Test]
    public void The_checked_in_contracts_document_is_current()
    {
        var path = RepositoryRoot.Combine(ContractsDocument.RelativePath);
        var expected = ContractsDocument.Generate();
        Assert.That(File.Exists(path), Is.True, $"{ContractsDocument.RelativePath} is missing: run {ContractsDocument.RegenerateCommand}");

        var actual = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (actual != expected)
        {
            var line = FirstDifferentLine(actual, expected);
            Assert.Fail($"{ContractsDocument.RelativePath} is out of date with the contracts (first difference at line {line}). " +
                $"Regenerate it with `{ContractsDocument.RegenerateCommand}` and commit the result.");
        }
    }

    [Test]
    public void Every_message_is_documented_with_its_urn_and_exchange()
    {
        var document = ContractsDocument.Generate();
        var messages = typeof(ReconMesh.Contracts.IntegrationKind).Assembly.GetExportedTypes()
            .Where(t => t.GetCustomAttributes(typeof(MassTransit.MessageUrnAttribute), false).Length > 0)
            .ToList();
        Assert.That(messages, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var message in messages)
            {
                var entity = (MassTransit.EntityNameAttribute?)message.GetCustomAttributes(typeof(MassTransit.EntityNameAttribute), false).SingleOrDefault();
                Assert.That(entity, Is.Not.Null, $"{message.Name} has [EntityName]");
                Assert.That(document, Does.Contain($"### {message.Name}\n"));
                Assert.That(document, Does.Contain($"| exchange | `{entity?.EntityName}` (fanout, durable) |"));
            }
        });
    }

    private static int FirstDifferentLine(string actual, string expected)
    {
        var a = actual.Split('\n');
        var e = expected.Split('\n');
        for (var i = 0; i < Math.Min(a.Length, e.Length); i++)
        {
            if (!string.Equals(a[i], e[i], StringComparison.Ordinal))
            {
                return i + 1;
            }
        }

        return Math.Min(a.Length, e.Length) + 1;
    }
}
