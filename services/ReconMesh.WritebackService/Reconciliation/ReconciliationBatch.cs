using Marten;
using MassTransit;
using ReconMesh.Contracts.Payments;

namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>
/// Many payments' reconciliations decided in one go, for the batch consumers: read once, each event decided on its
/// payment's latest state (events of one payment in the order given), and every changed one stored in the caller's
/// transaction at the version it was read.
/// </summary>
public sealed class ReconciliationBatch
{
    private readonly Dictionary<Guid, PaymentReconciliation> read;
    private readonly Dictionary<Guid, PaymentReconciliation> decided = [];
    private readonly DateTimeOffset now;

    private ReconciliationBatch(Dictionary<Guid, PaymentReconciliation> read, DateTimeOffset now)
    {
        this.read = read;
        this.now = now;
    }

    public static async Task<ReconciliationBatch> LoadAsync(IDocumentSession session, IEnumerable<Guid> meshPaymentIds, DateTimeOffset now,
        CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(session);
        var ids = meshPaymentIds.Distinct().ToList();
        var read = ids.Count == 0 ? [] : (await session.LoadManyAsync<PaymentReconciliation>(token, ids)).ToDictionary(s => s.CorrelationId);
        return new ReconciliationBatch(read, now);
    }

    /// <summary>A batch on reconciliations already read (<see cref="PaymentWriteBatch.ReadAheadAsync"/>).</summary>
    public static ReconciliationBatch From(IReadOnlyDictionary<Guid, PaymentReconciliation> read, DateTimeOffset now) =>
        new(read.ToDictionary(), now);

    /// <summary>Decides one event on its payment's latest state in this batch.</summary>
    public ReconciliationDecision Decide(object message)
    {
        var id = MeshPaymentIdOf(message);
        var decision = PaymentReconciliationDecider.Decide(decided.GetValueOrDefault(id) ?? read.GetValueOrDefault(id), message, now);
        if (decision.Next is { } next)
        {
            decided[id] = next;
        }

        return decision;
    }

    /// <summary>The reconciliation as this batch last left it (null when there is none).</summary>
    public PaymentReconciliation? Current(Guid meshPaymentId) => decided.GetValueOrDefault(meshPaymentId) ?? read.GetValueOrDefault(meshPaymentId);

    /// <summary>Adds every changed reconciliation to the session (nothing is saved here).</summary>
    public void Save(IDocumentSession session)
    {
        foreach (var (id, next) in decided)
        {
            PaymentReconciliationStore.Save(session, read.GetValueOrDefault(id), next);
        }
    }

    /// <summary>After the caller's transaction stored them: what was decided is now what is stored (a later save updates it).</summary>
    public void Stored()
    {
        foreach (var (id, next) in decided)
        {
            read[id] = next;
        }

        decided.Clear();
    }

    /// <summary>The payment an event of the reconciliation is about.</summary>
    public static Guid MeshPaymentIdOf(object message) => message switch
    {
        PaymentAccepted m => m.MeshPaymentId,
        PaymentStatusWrittenBack m => m.MeshPaymentId,
        WritebackFailed m => m.MeshPaymentId,
        PaymentFailureAccepted m => m.MeshPaymentId,
        PaymentStatusReverted m => m.MeshPaymentId,
        ExceptionRetryRequested m => m.MeshPaymentId,
        ExceptionDismissed m => m.MeshPaymentId,
        WritebackAwaitingInvoices m => m.MeshPaymentId,
        AwaitedInvoicesSynced m => m.MeshPaymentId,
        _ => throw new ArgumentException($"{message.GetType().Name} is not an event a payment's reconciliation hears.", nameof(message)),
    };
}
