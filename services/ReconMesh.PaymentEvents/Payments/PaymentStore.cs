using Marten;
using ReconMesh.Domain.Payments;

namespace ReconMesh.PaymentEvents.Payments;

/// <summary>PaymentEvents' part of the event store.</summary>
public static class PaymentStore
{
    public const string Schema = "payments";

    /// <summary>The stored names of the events the relay publishes for a payment (a contract's name may change; these do not).</summary>
    public const string PaymentAcceptedName = "payment_received";

    /// <inheritdoc cref="PaymentAcceptedName"/>
    public const string ReversalAcceptedName = "payment_failure_recorded";

    private static readonly string[] Announced = [PaymentAcceptedName, ReversalAcceptedName];

    public static void Configure(StoreOptions options)
    {
        options.Events.MapEventType<PaymentAccepted>(PaymentAcceptedName);
        options.Events.MapEventType<ConflictingPaymentReportReceived>("conflicting_payment_report_received");
        options.Events.MapEventType<PaymentFailureAccepted>(ReversalAcceptedName);
        options.Events.MapEventType<Payouts.PayoutReceived>("payout_received");
        options.Schema.For<RejectedMessage>().Index(x => x.TenantId);
    }

    /// <summary>
    /// A page of a tenant's payment streams, in id order after <paramref name="after"/>: those with an acceptance or a
    /// reversal (failure, refund, chargeback) recorded at or after <paramref name="since"/> and before <paramref name="until"/>
    /// (either may be open). In SQL over the events table: Marten 9.58's <c>QueryRawEventDataOnly</c> looks events up by
    /// their default type name, not by the names mapped above, and would find none.
    /// </summary>
    public static async Task<IReadOnlyList<Guid>> PaymentStreamsAsync(IQuerySession session, string tenantId, Guid after,
        DateTimeOffset? since, DateTimeOffset? until, int size, CancellationToken cancellationToken)
    {
        var parameters = new List<object> { Announced, tenantId, after };
        var sql = $"select distinct stream_id from {Schema}.mt_events where type = any(?) and data ->> 'TenantId' = ? and stream_id > ?";
        if (since is { } first)
        {
            sql += " and timestamp >= ?";
            parameters.Add(first.ToUniversalTime());
        }

        if (until is { } last)
        {
            sql += " and timestamp < ?";
            parameters.Add(last.ToUniversalTime());
        }

        parameters.Add(size);
        return await session.AdvancedSql.QueryAsync<Guid>(sql + " order by stream_id limit ?", cancellationToken, [.. parameters]);
    }
}
