using Marten.Exceptions;
using Npgsql;

namespace ReconMesh.EventSourcing.Store;

/// <summary>
/// An append that lost a race: another writer appended to the stream after this one read it (the expected version no
/// longer holds), or started the stream first. The caller ejects its pending changes and decides again on what the
/// stream now says.
/// </summary>
public static class ConcurrentAppend
{
    /// <summary>The primary key of a schema's streams table (<c>mt_streams</c>), as PostgreSQL names it.</summary>
    private const string StreamsPrimaryKey = "pkey_mt_streams_id";

    /// <summary>
    /// True for a lost race. In the quick append mode (ADR 1) an append at expected version 0 starts the stream: when
    /// another writer started it first, PostgreSQL refuses the second row of <c>mt_streams</c> (23505 on its primary
    /// key) and Marten reports it as a failed command, not as a collision; it is the same race.
    /// </summary>
    public static bool Lost(Exception e) =>
        e is JasperFx.ConcurrencyException or JasperFx.Events.EventStreamUnexpectedMaxEventIdException or ExistingStreamIdCollisionException
        || e is MartenCommandException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: StreamsPrimaryKey } };
}
