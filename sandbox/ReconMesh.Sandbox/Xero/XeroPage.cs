namespace ReconMesh.Sandbox.Xero;

/// <summary>The <c>pagination</c> block of a paged answer.</summary>
internal sealed record XeroPage(int Page, int PageSize, int PageCount, int ItemCount);
