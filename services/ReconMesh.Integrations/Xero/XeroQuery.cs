using System.Globalization;

namespace ReconMesh.Integrations.Xero;

/// <summary>The filters and orders of ReconMesh's reads of Xero, in Xero's <c>where</c> syntax.</summary>
public static class XeroQuery
{
    /// <summary>Xero answers 100 records a page (without <c>pageSize</c>).</summary>
    public const int PageSize = 100;

    /// <summary>Sales invoices (receivables): bills (ACCPAY) are not ReconMesh's.</summary>
    public const string Receivables = "Type==\"ACCREC\"";

    /// <summary>Open receivables: approved and not fully paid.</summary>
    public const string OpenReceivables = Receivables + " AND Status==\"AUTHORISED\"";

    /// <summary>Receivables that left the open ones: paid, voided or deleted.</summary>
    public const string ClosedReceivables = Receivables + " AND Status!=\"AUTHORISED\" AND Status!=\"DRAFT\" AND Status!=\"SUBMITTED\"";

    /// <summary>The statuses an incremental read asks for: open, and every way of leaving open (drafts are not receivables yet).</summary>
    public const string SyncedStatuses = "AUTHORISED,PAID,VOIDED,DELETED";

    /// <summary>A key that never changes, so that pages of a full read do not move when invoices are paid meanwhile.</summary>
    public const string StableOrder = "InvoiceID";

    /// <summary>The <c>If-Modified-Since</c> header: an HTTP date, in UTC, to the second (earlier, never later, than asked).</summary>
    public static string ModifiedSince(DateTimeOffset since) =>
        new DateTimeOffset(since.UtcTicks - (since.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero).ToString("R", CultureInfo.InvariantCulture);
}
