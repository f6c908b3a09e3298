namespace ReconMesh.Integrations.Http;

/// <summary>
/// A call to an integration that ReconMesh refused to make or to read: an address it may not reach (a host not allowed
/// for the connection's kind, or one resolving to a private, loopback or link-local address), a redirect, or an answer
/// beyond the size limit. Never retried (the next try would be refused the same way); the message says why, without
/// repeating anything the integration answered.
/// </summary>
public sealed class IntegrationRefusedException : Exception
{
    public IntegrationRefusedException()
    {
    }

    public IntegrationRefusedException(string message)
        : base(message)
    {
    }

    public IntegrationRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The refusal anywhere in <paramref name="exception"/>'s chain of inner exceptions, or null.</summary>
    public static IntegrationRefusedException? In(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is IntegrationRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }
}
