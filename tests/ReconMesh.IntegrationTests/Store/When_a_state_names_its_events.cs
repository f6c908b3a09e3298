using Marten;
using Marten.Services;
using Npgsql;
using ReconMesh.Contracts;
using ReconMesh.Contracts.Payments;
using ReconMesh.Domain.Invoices;
using ReconMesh.Domain.Writeback;
using ReconMesh.EventSourcing.Store;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.InvoiceIngest.Invoices;
using ReconMesh.WritebackService;
using ReconMesh.WritebackService.Payouts;

namespace ReconMesh.IntegrationTests.Store;

/// <summary>
/// A state folded from a few event types names them (<see cref="DeciderProjection{TState}"/>): an append to another
/// kind of stream does not read its documents (a payment's writeback stream reads no payout record, a page of invoices
/// no contact views), and the streams of its own events are folded as before. Checked on the commands the session sent.
/// </summary>
[TestFixture]
public sealed class When_a_state_names_its_events
{
    private TestServers _servers = null!;
    private DocumentStore _writeback = null!;
    private DocumentStore _ingest = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _servers = await TestServers.StartAsync();
        _writeback = Store("named_events_writeback", WritebackStore.Configure);
        _ingest = Store("named_events_ingest", InvoiceStore.Configure);
        await _writeback.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await _ingest.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _writeback.Dispose();
        _ingest.Dispose();
        await _servers.DisposeAsync();
    }

    [Test]
    public async Task A_payments_writeback_stream_reads_no_payout_record_and_a_payouts_stream_is_folded()
    {
        var payment = Guid.NewGuid();
        var payout = Guid.NewGuid();
        var sent = new SentCommands();
        await using (var session = _writeback.LightweightSession())
        {
            session.Logger = sent;
            session.Events.Append(payment, new Domain.Writeback.PaymentStatusWrittenBack(payment, "pay-1", "tenant-1", Guid.NewGuid(), IntegrationKind.QuickBooksOnline,
                PaymentWritebackStatus.Paid, ["qbo-1"], [new WrittenBackInvoice(Guid.NewGuid(), "inv-1", 10.00m, 0m)], DateTimeOffset.UtcNow));
            await session.SaveChangesAsync();
        }

        await using (var session = _writeback.LightweightSession())
        {
            session.Events.StartStream(payout, new PayoutDepositRecorded(payout, "po-1", "tenant-1", Guid.NewGuid(), "dep-1", 9.70m, 0.30m, DateTimeOffset.UtcNow));
            await session.SaveChangesAsync();
        }

        await using var query = _writeback.QuerySession();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sent.Texts, Has.Some.Contains("mt_doc_writebackrecord"), "the writeback record is kept inline");
            Assert.That(sent.Texts, Has.None.Contains("mt_doc_payoutrecord"));
            Assert.That((await query.LoadAsync<WritebackRecord>(payment))?.Id, Is.EqualTo(payment));
            Assert.That((await query.LoadAsync<PayoutRecord>(payment)), Is.Null);
            Assert.That((await query.LoadAsync<PayoutRecord>(payout))?.ExternalDepositId, Is.EqualTo("dep-1"));
        }
    }

    [Test]
    public async Task A_page_of_invoices_reads_no_contact_views_and_a_contacts_stream_is_folded()
    {
        var invoice = Guid.NewGuid();
        var contact = Guid.NewGuid();
        var sent = new SentCommands();
        await using (var session = _ingest.LightweightSession())
        {
            session.Logger = sent;
            session.Events.Append(invoice, new InvoiceImported(Invoice(invoice), DateTimeOffset.UtcNow));
            await session.SaveChangesAsync();
        }

        await using (var session = _ingest.LightweightSession())
        {
            session.Events.StartStream(contact, Contact());
            await session.SaveChangesAsync();
        }

        await using var query = _ingest.QuerySession();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sent.Texts, Has.Some.Contains("mt_doc_invoiceview"), "the invoice view is kept inline");
            Assert.That(sent.Texts, Has.None.Contains("mt_doc_billingcontactview"));
            Assert.That((await query.LoadAsync<BillingContactView>(invoice)), Is.Null);
            Assert.That((await query.LoadAsync<BillingContactView>(contact))?.Version, Is.EqualTo(1));
        }
    }

    private static InvoiceSnapshot Invoice(Guid id) => new(id, "tenant-1", Guid.NewGuid(), IntegrationKind.QuickBooksOnline, "130", "1001", "cust-1",
        "Harbor Dental", "USD", 250.00m, 250.00m, new DateOnly(2026, 11, 1), new DateOnly(2026, 12, 1), []);

    private static BillingContactRecorded Contact() => new("tenant-1", Guid.NewGuid(), IntegrationKind.QuickBooksOnline, "cust-1", "Harbor Dental",
        "Ana Ruiz", "billing@harbordental.example", null, DateTimeOffset.UtcNow);

    private DocumentStore Store(string schema, Action<StoreOptions> configure) => DocumentStore.For(o =>
    {
        EventStoreExtensions.ConfigureStore(o, _servers.Postgres, schema);
        configure(o);
    });

    /// <summary>Every statement text a session sent, alone or in a batch.</summary>
    private sealed class SentCommands : IMartenSessionLogger
    {
        public List<string> Texts { get; } = [];

        public void OnBeforeExecute(NpgsqlCommand command) => Texts.Add(command.CommandText);

        public void OnBeforeExecute(NpgsqlBatch batch) => Texts.AddRange(batch.BatchCommands.Select(static (NpgsqlBatchCommand c) => c.CommandText));

        public void LogSuccess(NpgsqlCommand command)
        {
        }

        public void LogFailure(NpgsqlCommand command, Exception ex)
        {
        }

        public void LogSuccess(NpgsqlBatch batch)
        {
        }

        public void LogFailure(NpgsqlBatch batch, Exception ex)
        {
        }

        public void LogFailure(Exception ex, string message)
        {
        }

        public void RecordSavedChanges(IDocumentSession session, IChangeSet commit)
        {
        }
    }
}
