using JasperFx.Events;
using Microsoft.Extensions.Options;
using ReconMesh.Contracts;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Domain.Invoices;
using ReconMesh.EventSourcing.Identity;
using ReconMesh.EventSourcing.Relay;
using ReconMesh.InvoiceIngest.Invoices;

namespace ReconMesh.UnitTests.Relay;

/// <summary>
/// How InvoiceIngest's relay turns a page of events into messages (<see cref="RelayPlan"/> with <see cref="InvoiceEventMap"/>):
/// a page of an initial sync becomes a few <see cref="InvoicesSynced"/> per connection instead of a message per invoice,
/// and a stream's messages still leave in its order.
/// </summary>
[TestFixture]
public sealed class When_a_relay_page_is_planned
{
    private static readonly Guid ConnectionA = Guid.NewGuid();
    private static readonly Guid ConnectionB = Guid.NewGuid();
    private readonly InvoiceEventMap _map = new(Options.Create(new InvoiceContractOptions { PublishInvoiceSyncedAlone = false }));

    [Test]
    public void Should_combine_a_connections_invoices_a_hundred_to_a_message()
    {
        var page = Enumerable.Range(0, 250).Select(i => Imported(ConnectionA, $"a-{i}"))
            .Concat(Enumerable.Range(0, 30).Select(i => Imported(ConnectionB, $"b-{i}"))).ToList();

        var rounds = RelayPlan.Of(page, _map);

        Assert.That(rounds, Has.Count.EqualTo(1));
        var messages = rounds[0].SelectMany(lane => lane).Select(o => (InvoicesSynced)o.Message).ToList();
        Assert.That(messages.Select(m => (m.ConnectionId, m.Invoices.Count)), Is.EquivalentTo(new[]
        {
            (ConnectionA, 100), (ConnectionA, 100), (ConnectionA, 50), (ConnectionB, 30),
        }));
        Assert.That(messages.SelectMany(m => m.Invoices).Select(i => i.InvoiceId), Is.EquivalentTo(page.Select(e => e.StreamId)), "every invoice exactly once");
        Assert.That(messages.All(m => m.Invoices.All(i => i.ConnectionId == m.ConnectionId && i.TenantId == m.TenantId)));
    }

    [Test]
    public void Should_keep_a_message_under_its_lines_bound_and_let_a_long_invoice_travel_alone()
    {
        var page = new[] { Imported(ConnectionA, "short-1", lines: 600), Imported(ConnectionA, "long", lines: 1000),
            Imported(ConnectionA, "short-2", lines: 600), Imported(ConnectionA, "short-3", lines: 600), Imported(ConnectionA, "huge", lines: 2500) };

        var messages = RelayPlan.Of(page, _map).Single().SelectMany(lane => lane).Select(o => (InvoicesSynced)o.Message).ToList();

        Assert.That(messages.Select(m => m.Invoices.Select(i => i.ExternalId)), Is.EqualTo(new[]
        {
            new[] { "short-1", "long" }, ["short-2", "short-3"], ["huge"],
        }));
    }

    [Test]
    public void Should_carry_only_an_invoices_newest_state_of_the_round()
    {
        var first = Imported(ConnectionA, "x");
        var changed = Changed(first, version: 2, balance: 4m);

        var message = (InvoicesSynced)RelayPlan.Of([first, Imported(ConnectionA, "y"), changed], _map).Single().Single().Single().Message;

        Assert.That(message.Invoices.Select(i => (i.ExternalId, i.Revision, i.Balance)), Is.EqualTo(new[] { ("x", 2L, 4m), ("y", 1L, 10m) }));
    }

    [Test]
    public void Should_start_a_new_round_where_a_streams_plain_message_follows_its_combined_one()
    {
        // x is imported, then archived, then changed again: its three messages must leave in that order.
        var x = Imported(ConnectionA, "x");
        var page = new IEvent[] { x, Imported(ConnectionA, "y"), Archived(x, version: 2), Imported(ConnectionA, "z"), Changed(x, version: 3, balance: 1m) };

        var rounds = RelayPlan.Of(page, _map);

        Assert.That(rounds.Select(r => r.SelectMany(l => l).Select(o => o.Message switch
        {
            InvoicesSynced m => "synced:" + string.Join(",", m.Invoices.Select(i => $"{i.ExternalId}@{i.Revision}")),
            InvoiceArchived a => "archived:" + a.ExternalId,
            _ => "?",
        }).OrderBy(s => s, StringComparer.Ordinal)), Is.EqualTo(new[]
        {
            new[] { "synced:x@1,y@1" }, ["archived:x", "synced:z@1"], ["synced:x@3"],
        }));
    }

    [Test]
    public void Should_name_a_combined_message_by_the_events_it_carries()
    {
        var page = Enumerable.Range(0, 3).Select(i => Imported(ConnectionA, $"i-{i}")).ToList();

        var once = RelayPlan.Of(page, _map).Single().Single().Single().MessageId;
        var again = RelayPlan.Of(page, _map).Single().Single().Single().MessageId;
        var fewer = RelayPlan.Of(page.Take(2), _map).Single().Single().Single().MessageId;
        var alone = RelayPlan.Of(page.Take(1), _map).Single().Single().Single().MessageId;

        Assert.That(again, Is.EqualTo(once), "the same events, the same id: a page published again repeats its messages");
        Assert.That(fewer, Is.Not.EqualTo(once), "other events, another id");
        Assert.That(alone, Is.EqualTo(page[0].Id), "a message of one event keeps the event's id");
    }

    [Test]
    public void Should_also_publish_each_invoice_alone_for_consumers_of_the_older_contract_while_asked()
    {
        var legacy = new InvoiceEventMap(Options.Create(new InvoiceContractOptions()));
        var page = Enumerable.Range(0, 3).Select(i => Imported(ConnectionA, $"i-{i}")).ToList();

        var outgoing = RelayPlan.Of(page, legacy).Single().SelectMany(lane => lane).ToList();

        Assert.That(outgoing.Where(o => o.Message is InvoicesSynced), Has.Exactly(1).Items);
        Assert.That(outgoing.Where(o => o.Message is InvoiceSynced).Select(o => (o.MessageId, ((InvoiceSynced)o.Message).InvoiceId)),
            Is.EquivalentTo(page.Select(e => (e.Id, e.StreamId))), "each alone, under its event's id, as before 1.4.0");
        Assert.That(RelayPlan.Of(page, legacy, aloneToo: false).Single().SelectMany(lane => lane).Select(o => o.Message),
            Has.All.InstanceOf<InvoicesSynced>(), "an answer sent to one endpoint carries only the combined message");
    }

    private static Event<InvoiceImported> Imported(Guid connection, string externalId, int lines = 1)
    {
        var id = MeshIds.Invoice(connection, externalId);
        var snapshot = new InvoiceSnapshot(id, "tenant-" + connection, connection, IntegrationKind.QuickBooksOnline, externalId, externalId, "cust-1",
            "Customer", "USD", 10m, 10m, new DateOnly(2026, 12, 1), null, [.. Enumerable.Range(0, lines).Select(l => new InvoiceLine($"line {l}", 10m / lines))]);
        return new Event<InvoiceImported>(new InvoiceImported(snapshot, DateTimeOffset.UtcNow)) { Id = Guid.NewGuid(), StreamId = id, Version = 1 };
    }

    private static Event<InvoiceChangedInIntegration> Changed(Event<InvoiceImported> imported, long version, decimal balance) =>
        new(new InvoiceChangedInIntegration(imported.Data.Invoice with { Balance = balance }, ["balance"], DateTimeOffset.UtcNow))
        {
            Id = Guid.NewGuid(), StreamId = imported.StreamId, Version = version,
        };

    private static Event<InvoiceArchivedInIntegration> Archived(Event<InvoiceImported> imported, long version)
    {
        var i = imported.Data.Invoice;
        return new(new InvoiceArchivedInIntegration(i.InvoiceId, i.TenantId, i.ConnectionId, i.ExternalId, "deleted", DateTimeOffset.UtcNow))
        {
            Id = Guid.NewGuid(), StreamId = imported.StreamId, Version = version,
        };
    }
}
