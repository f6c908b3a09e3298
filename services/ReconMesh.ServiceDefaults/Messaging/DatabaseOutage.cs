using System.Data.Common;

namespace ReconMesh.ServiceDefaults.Messaging;

/// <summary>
/// Whether a consumer failed because the database is away: a transient <see cref="DbException"/> (Npgsql's for a
/// refused or dropped connection, a server starting up or shutting down) anywhere in the exception's chain, as Marten
/// wraps it. Such a message is held in its slot by <see cref="DatabaseOutageFilter{T}"/>.
/// </summary>
public static class DatabaseOutage
{
    public static bool Is(Exception? failure)
    {
        for (var e = failure; e is not null; e = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerExceptions[0] : e.InnerException)
        {
            if (e is DbException db)
            {
                return db.IsTransient;
            }
        }

        return false;
    }
}
