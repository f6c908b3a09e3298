using System.Reflection;
using ReconMesh.Domain.Payments;

namespace ReconMesh.DomainTests;

/// <summary>
/// Decisions are pure (DESIGN property 9): the assembly that holds the deciders may reference the contracts and the
/// base library, and nothing that reaches a database, the bus or the network. A compiled reference is what a use of
/// any such type leaves behind, so checking the assembly's references catches one however it is written.
/// </summary>
public class The_deciders_are_pure
{
    private static readonly string[] Allowed = ["System.", "System", "netstandard", "ReconMesh.Contracts"];

    private static readonly string[] Forbidden =
        ["Marten", "JasperFx", "Weasel", "Npgsql", "MassTransit", "Microsoft.AspNetCore", "Microsoft.Extensions", "Refit", "System.Net.Http",
         "System.Net.Sockets", "System.Data", "System.IO.FileSystem"];

    private static Assembly Domain => typeof(PaymentDecider).Assembly;

    [Test]
    public void Should_reference_nothing_that_does_io()
    {
        var references = Domain.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(references.Where(r => Forbidden.Any(f => r.StartsWith(f, StringComparison.Ordinal))), Is.Empty);
            Assert.That(references.Where(r => !Allowed.Any(a => r == a || r.StartsWith(a, StringComparison.Ordinal))), Is.Empty,
                "a new reference must be shown to be pure before it is allowed here");
        });
    }

    [Test]
    public void Should_hold_only_types_of_the_three_streams()
    {
        var namespaces = Domain.GetTypes().Where(t => t.IsPublic).Select(t => t.Namespace).Distinct().Order().ToList();

        Assert.That(namespaces, Is.SubsetOf(new[] { "ReconMesh.Domain.Invoices", "ReconMesh.Domain.Payments", "ReconMesh.Domain.Writeback" }));
    }
}
