using ReconMesh.EventSourcing.Identity;

namespace ReconMesh.UnitTests.Identity;

[TestFixture]
public sealed class When_ids_are_derived_from_natural_keys
{
    [Test]
    public void Should_give_the_same_payment_the_same_id_every_time()
    {
        var first = MeshIds.Payment("tenant-1", "pay_1");
        var again = MeshIds.Payment(new string("tenant-1".AsSpan()), new string("pay_1".AsSpan()));

        Assert.That(again, Is.EqualTo(first));
    }

    [Test]
    public void Should_keep_tenants_apart() =>
        Assert.That(MeshIds.Payment("tenant-1", "pay_1"), Is.Not.EqualTo(MeshIds.Payment("tenant-2", "pay_1")));

    [Test]
    public void Should_not_confuse_key_boundaries() =>
        Assert.That(MeshIds.Payment("a", "bc"), Is.Not.EqualTo(MeshIds.Payment("ab", "c")));

    [Test]
    public void Should_produce_version_5_uuids()
    {
        var id = MeshIds.Invoice(Guid.NewGuid(), "130").ToString();

        Assert.That(id[14], Is.EqualTo('5'));
    }
}
