using Marten.Exceptions;

namespace ReconMesh.EventSourcing.Store;

/// <summary>
/// An append that lost a race: another writer appended to the stream after this one read it (the expected version no
/// longer holds), or started the stream first. The caller ejects its pending changes and decides again on what the
/// stream now says.
/// </summary>
public static class ConcurrentAppend
{
    public static bool Lost(Exception e) =>
        e is JasperFx.ConcurrencyException or JasperFx.Events.EventStreamUnexpectedMaxEventIdException or ExistingStreamIdCollisionException;
}
