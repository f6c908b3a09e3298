// The previous version's name for ExceptionRetryRequested, as it published it: its URN and exchange follow from this
// namespace and name. Only the spec that a message in flight during an upgrade is still consumed publishes it.
namespace ReconMesh.WritebackService.Reconciliation;

public sealed record RetryExceptionRequested(Guid MeshPaymentId);
