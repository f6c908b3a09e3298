using System.Net;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.Tests;

/// <summary>
/// Bank transfers and spend/receive bank transactions of the Xero simulator, and the account balances they move: a
/// payout taken into a clearing bank account, moved to the bank net of the processor's fee, the fee spent on its own line.
/// </summary>
[TestFixture]
public sealed class XeroBankingTests : XeroFixture
{
    [Test]
    public async Task A_payout_moves_the_clearing_balance_to_the_bank_and_the_fee_is_spent_on_its_own_line()
    {
        var (client, invoiceId) = await InvoiceAsync(100m);
        await AddClearingBankAsync(client);
        var contactId = (await Books(client))["contacts"]![0]!["contactId"]!.GetValue<string>();
        var paid = await client.PutAsync("Payments", XeroTestClient.Payment(invoiceId, "093", 100m));

        var transfer = await client.PutAsync("BankTransfers", new JsonObject
        {
            ["BankTransfers"] = new JsonArray(new JsonObject
            {
                ["FromBankAccount"] = new JsonObject { ["Code"] = "093" },
                ["ToBankAccount"] = new JsonObject { ["Code"] = "090" },
                ["Amount"] = "97.10",
                ["Date"] = "2026-12-07",
                ["Reference"] = "po_1",
            }),
        });
        var fee = await client.PutAsync("BankTransactions", Spend(contactId, "093", "404", 2.90m));
        var balances = Balances(await Books(client));
        var moved = transfer.Json["BankTransfers"]![0]!;
        var spent = fee.Json["BankTransactions"]![0]!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(paid.Status, Is.EqualTo(HttpStatusCode.OK), paid.ToString());
            Assert.That(transfer.Status, Is.EqualTo(HttpStatusCode.OK), transfer.ToString());
            Assert.That(moved["FromBankAccount"]!["Code"]!.GetValue<string>(), Is.EqualTo("093"));
            Assert.That(moved["ToBankAccount"]!["Code"]!.GetValue<string>(), Is.EqualTo("090"));
            Assert.That(moved["Amount"]!.GetValue<decimal>(), Is.EqualTo(97.10m));
            Assert.That(moved["Date"]!.GetValue<string>(), Is.EqualTo("/Date(1796601600000+0000)/"));
            Assert.That(moved["FromBankTransactionID"], Is.Not.Null);
            Assert.That(fee.Status, Is.EqualTo(HttpStatusCode.OK), fee.ToString());
            Assert.That(spent["Type"]!.GetValue<string>(), Is.EqualTo("SPEND"));
            Assert.That(spent["Status"]!.GetValue<string>(), Is.EqualTo("AUTHORISED"));
            Assert.That(spent["Total"]!.GetValue<decimal>(), Is.EqualTo(2.90m));
            Assert.That(spent["BankAccount"]!["Code"]!.GetValue<string>(), Is.EqualTo("093"));
            Assert.That(spent["LineItems"]![0]!["AccountCode"]!.GetValue<string>(), Is.EqualTo("404"));
            Assert.That(balances["093"], Is.Zero, "the clearing account is emptied by the payout and the fee");
            Assert.That(balances["090"], Is.EqualTo(97.10m));
            Assert.That(balances["404"], Is.EqualTo(2.90m));
            Assert.That(balances["200"], Is.EqualTo(100m));
        }
    }

    [Test]
    public async Task Transfers_need_two_different_BANK_accounts_and_an_amount()
    {
        var (client, _) = await InvoiceAsync(10m);
        async Task<XeroReply> TransferAsync(string from, string to, decimal amount) => await client.PutAsync("BankTransfers", new JsonObject
        {
            ["FromBankAccount"] = new JsonObject { ["Code"] = from },
            ["ToBankAccount"] = new JsonObject { ["Code"] = to },
            ["Amount"] = amount,
            ["Date"] = "2026-12-07",
        });

        var fromClearing = await TransferAsync("092", "090", 5m);
        var same = await TransferAsync("090", "090", 5m);
        var nothing = await TransferAsync("090", "092", 0m);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(fromClearing.ValidationMessages, Is.EqualTo(new[] { "The account must be a BANK account" }));
            Assert.That(same.ValidationMessages, Is.EqualTo(new[] { "The From and To bank accounts must be different" }));
            Assert.That(nothing.ValidationMessages, Is.EquivalentTo(new[] { "The account must be a BANK account", "Amount must be greater than zero" }));
            Assert.That((await client.ListAsync("BankTransfers", "BankTransfers")), Is.Empty);
        }
    }

    [Test]
    public async Task A_bank_transaction_Xero_would_refuse_is_a_ValidationException_and_a_deleted_one_is_reversed()
    {
        var (client, _) = await InvoiceAsync(10m);
        var contactId = (await Books(client))["contacts"]![0]!["contactId"]!.GetValue<string>();
        var noContact = await client.PutAsync("BankTransactions", Spend(Guid.NewGuid().ToString(), "090", "404", 1m));
        var badCode = await client.PutAsync("BankTransactions", Spend(contactId, "090", "999", 1m));
        var notBank = await client.PutAsync("BankTransactions", Spend(contactId, "200", "404", 1m));
        var receive = Spend(contactId, "090", "200", 25m);
        receive["Type"] = "RECEIVE";
        var received = await client.PutAsync("BankTransactions", receive);
        var id = received.Json["BankTransactions"]![0]!["BankTransactionID"]!.GetValue<string>();
        var before = Balances(await Books(client));
        var deleted = await client.PostAsync($"BankTransactions/{id}", new JsonObject { ["Status"] = "DELETED" });
        var after = Balances(await Books(client));
        var listed = await client.ListAsync("BankTransactions?where=" + Uri.EscapeDataString("Type==\"RECEIVE\""), "BankTransactions");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(noContact.ValidationMessages, Is.EqualTo(new[] { "Contact could not be found" }));
            Assert.That(badCode.ValidationMessages, Is.EqualTo(new[] { "Account code '999' is not a valid code for this document." }));
            Assert.That(notBank.ValidationMessages, Is.EqualTo(new[] { "The account must be a BANK account" }));
            Assert.That(before["090"], Is.EqualTo(25m));
            Assert.That(before["200"], Is.EqualTo(35m), "10 invoiced and 25 received");
            Assert.That(deleted.Json["BankTransactions"]![0]!["Status"]!.GetValue<string>(), Is.EqualTo("DELETED"));
            Assert.That(after["090"], Is.Zero);
            Assert.That(after["200"], Is.EqualTo(10m));
            Assert.That(listed.Single()!["Status"]!.GetValue<string>(), Is.EqualTo("DELETED"));
        }
    }

    private static JsonObject Spend(string contactId, string bankCode, string lineCode, decimal amount) => new()
    {
        ["Type"] = "SPEND",
        ["Contact"] = new JsonObject { ["ContactID"] = contactId },
        ["BankAccount"] = new JsonObject { ["Code"] = bankCode },
        ["Date"] = "2026-12-07",
        ["Reference"] = "Processing fee",
        ["LineItems"] = new JsonArray(new JsonObject
        {
            ["Description"] = "Card processing fee", ["Quantity"] = 1, ["UnitAmount"] = amount, ["AccountCode"] = lineCode,
        }),
    };

    private Task<JsonNode> AddClearingBankAsync(XeroTestClient client) => Host.AdminAsync(HttpMethod.Post, client.Admin + "/accounts",
        new JsonObject { ["code"] = "093", ["name"] = "Payments Clearing (bank)", ["type"] = "BANK" }, HttpStatusCode.Created);

    private Task<JsonNode> Books(XeroTestClient client) => Host.AdminAsync(HttpMethod.Get, client.Admin + "/books", null);

    private static Dictionary<string, decimal> Balances(JsonNode books) =>
        books["accounts"]!.AsArray().ToDictionary(a => a!["code"]!.GetValue<string>(), a => a!["balance"]!.GetValue<decimal>());
}
