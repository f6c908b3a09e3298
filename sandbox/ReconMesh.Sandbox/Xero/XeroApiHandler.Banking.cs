using Microsoft.AspNetCore.Http;

namespace ReconMesh.Sandbox.Xero;

/// <summary>GET of BankTransfers (If-Modified-Since on CreatedDateUTC) and BankTransactions, one or a paged list.</summary>
internal sealed partial class XeroApiHandler
{
    private static XeroHttpResponse ListBankTransfers(XeroOrganisation organisation, HttpRequest request) =>
        List(organisation, request, XeroFields.BankTransfer, "BankTransfer", organisation.BankTransfers.Values, t => t.CreatedUtc,
            t => t.BankTransferId, XeroBankingWire.Transfer);

    private static XeroHttpResponse GetBankTransfer(XeroOrganisation organisation, string? id) =>
        One(organisation, "BankTransfers", Guid.TryParse(id, out var transferId) ? organisation.BankTransfers.GetValueOrDefault(transferId) : null,
            XeroBankingWire.Transfer);

    private static XeroHttpResponse ListBankTransactions(XeroOrganisation organisation, HttpRequest request) =>
        List(organisation, request, XeroFields.BankTransaction, "BankTransaction", organisation.BankTransactions.Values, t => t.UpdatedUtc,
            t => t.BankTransactionId, XeroBankingWire.Transaction);

    private static XeroHttpResponse GetBankTransaction(XeroOrganisation organisation, string? id) =>
        One(organisation, "BankTransactions",
            Guid.TryParse(id, out var transactionId) ? organisation.BankTransactions.GetValueOrDefault(transactionId) : null, XeroBankingWire.Transaction);
}
