using FluentValidation;
using FluentValidation.Results;
using MassTransit;

namespace ReconMesh.WritebackService.Trust;

/// <summary>A message that is not what it claims to be; a <see cref="ValidationException"/>, so the bus does not retry it.</summary>
public sealed class UntrustedMessageException(string reason) : ValidationException([new ValidationFailure("", reason)])
{
    /// <summary>Whether a fault was this refusal (a refused command's fault must not be recorded against the payment it named).</summary>
    public static bool Caused(Fault fault) =>
        fault.Exceptions.Any(e => e.ExceptionType?.EndsWith("." + nameof(UntrustedMessageException), StringComparison.Ordinal) == true);
}
