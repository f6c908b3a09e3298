using ReconMesh.EventSourcing.Identity;
using ReconMesh.ServiceDefaults.Validation;

namespace ReconMesh.UnitTests.Identity;

/// <summary>The bounds every door applies to the ids it takes, in one place.</summary>
public sealed class IdBoundsTests
{
    [TestCase("acme-msp")]
    [TestCase("tenant_01.eu")]
    [TestCase("A")]
    public void Tenant_ids_of_letters_digits_dots_underscores_and_dashes_up_to_64_are_taken(string tenant) =>
        Assert.That(IdBounds.IsTenantId(tenant) && IdBounds.IsTenantId(new string('t', 64)), Is.True);

    [TestCase("")]
    [TestCase("acme/other")]
    [TestCase("acme msp")]
    [TestCase("acmé")]
    [TestCase("acme\n")]
    public void Other_tenant_ids_are_not(string tenant)
    {
        Assert.That(IdBounds.IsTenantId(tenant), Is.False);
        Assert.That(IdBounds.IsTenantId(new string('t', 65)), Is.False);
    }

    [TestCase("pay_01HZX8")]
    [TestCase("INV 2026/0001 – Ü")]
    [TestCase("😀-emoji")]
    public void External_ids_of_printable_characters_up_to_100_are_taken(string id) =>
        Assert.That(IdBounds.IsExternalId(id) && IdBounds.IsExternalId(new string('9', 100)), Is.True);

    [TestCase("")]
    [TestCase("   ")]
    [TestCase("9001\u0000")]
    [TestCase("\u001b[2J")]
    public void Other_external_ids_are_not(string id)
    {
        Assert.That(IdBounds.IsExternalId(id), Is.False);
        Assert.That(IdBounds.IsExternalId(new string('9', 101)), Is.False);
    }

    [Test]
    public void Half_a_surrogate_pair_is_not_text() =>
        Assert.That(IdBounds.IsExternalId("half " + '\ud800' + " a pair"), Is.False); // built here: an attribute's string cannot hold it

    [Test]
    public void A_value_beyond_the_bounds_is_shown_by_its_start_and_length_only()
    {
        var megabyte = new string('x', 1 << 20);

        Assert.That(IdBounds.Shown(megabyte), Is.EqualTo("'xxxxxxxxxxxxxxxxxxxxxxxx…' (1,048,576 characters)"));
        Assert.That(IdBounds.ExternalIdProblem("the invoice id", megabyte), Has.Length.LessThan(120));
        Assert.That(IdBounds.Shown("9001"), Is.EqualTo("'9001'"));
    }

    [Test]
    public void A_stream_id_is_derived_from_an_id_of_a_megabyte_without_overflowing_the_stack() =>
        Assert.That(MeshIds.Invoice(Guid.NewGuid(), new string('x', 1 << 20)), Is.Not.EqualTo(Guid.Empty));
}
