using System.Net;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.Tests;

/// <summary>Deposits, accounts and their balances, and the 6540 lock on deposited payments, over real HTTP.</summary>
[TestFixture]
public sealed class QuickBooksDepositTests
{
    private const string UndepositedFunds = "4";
    private const string Checking = "35";

    private static readonly string[] BankNames = ["Checking", "Savings"];

    private QuickBooksSandboxHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync() =>
        _host = await QuickBooksSandboxHost.StartAsync(new Dictionary<string, string?>
        {
            ["Sandbox:QuickBooks:RequestsPerMinute"] = "0",
            ["Sandbox:QuickBooks:MaxConcurrent"] = "0",
        });

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public async Task A_deposit_of_a_payment_with_a_negative_fee_line_moves_the_money_from_Undeposited_Funds_to_the_bank()
    {
        var company = await _host.NewCompanyAsync();
        var paymentId = await PaidInvoiceAsync(company, 100m);
        var fees = await company.WriteAsync("account", "Account", new JsonObject
        {
            ["Name"] = "Alternative Payment Fees", ["AccountType"] = "Expense", ["AccountSubType"] = "BankCharges",
        });
        var feesId = Str(fees["Id"]);
        var undepositedBefore = await company.ReadAsync("Account", UndepositedFunds);

        var deposit = await company.WriteAsync("deposit", "Deposit", DepositBody(Checking,
            LinkedLine(paymentId, 100m),
            FeeLine(feesId, -2.90m)));

        var undeposited = await company.ReadAsync("Account", UndepositedFunds);
        var checking = await company.ReadAsync("Account", Checking);
        var feesAfter = await company.ReadAsync("Account", feesId);
        var read = await company.ReadAsync("Deposit", Str(deposit["Id"]));
        var books = await _host.GetJsonAsync($"/admin/qbo/companies/{company.RealmId}/books");
        var expectedDeposits = JsonNode.Parse($$"""
            [{"id":"{{Str(deposit["Id"])}}","depositToAccountId":"35","totalAmt":97.10,
              "lines":[{"amount":100,"paymentId":"{{paymentId}}","accountId":null},{"amount":-2.90,"paymentId":null,"accountId":"{{feesId}}"}]}]
            """);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Str(fees["AccountType"]), Is.EqualTo("Expense"));
            Assert.That(Str(fees["Classification"]), Is.EqualTo("Expense"));
            Assert.That(Dec(undepositedBefore["CurrentBalance"]), Is.EqualTo(100m));
            Assert.That(Dec(deposit["TotalAmt"]), Is.EqualTo(97.10m));
            Assert.That(Str(deposit["DepositToAccountRef"]!["value"]), Is.EqualTo(Checking));
            Assert.That(Str(deposit["Line"]![0]!["LinkedTxn"]![0]!["TxnType"]), Is.EqualTo("Payment"));
            Assert.That(Str(deposit["Line"]![0]!["LinkedTxn"]![0]!["TxnLineId"]), Is.EqualTo("0"));
            Assert.That(Str(deposit["Line"]![1]!["DetailType"]), Is.EqualTo("DepositLineDetail"));
            Assert.That(Str(deposit["SyncToken"]), Is.EqualTo("0"));
            Assert.That(JsonNode.DeepEquals(read, deposit), Is.True, read.ToJsonString());
            Assert.That(Dec(undeposited["CurrentBalance"]), Is.Zero, "Undeposited Funds cleared");
            Assert.That(Dec(checking["CurrentBalance"]), Is.EqualTo(97.10m));
            Assert.That(Dec(feesAfter["CurrentBalance"]), Is.EqualTo(2.90m), "the fee is an expense (debit-normal)");
            Assert.That(JsonNode.DeepEquals(books["deposits"], expectedDeposits), Is.True, books["deposits"]!.ToJsonString());
            Assert.That(Str(books["payments"]![0]!["depositId"]), Is.EqualTo(Str(deposit["Id"])));
            Assert.That(books["accounts"]!.AsArray().Single(a => Str(a!["id"]) == Checking)!["currentBalance"]!.GetValue<decimal>(), Is.EqualTo(97.10m));
        }
    }

    [Test]
    public async Task A_deposited_payment_cannot_be_voided_updated_or_deleted_6540()
    {
        var company = await _host.NewCompanyAsync();
        var paymentId = await PaidInvoiceAsync(company, 40m);
        await company.WriteAsync("deposit", "Deposit", DepositBody(Checking, LinkedLine(paymentId, 40m)));
        var payment = await company.ReadAsync("Payment", paymentId);
        var token = Str(payment["SyncToken"]);

        var voided = await company.PostAsync("payment?operation=update&include=void", new JsonObject { ["Id"] = paymentId, ["SyncToken"] = token, ["sparse"] = true });
        var updated = await company.PostAsync("payment?operation=update", new JsonObject
        {
            ["Id"] = paymentId, ["SyncToken"] = token, ["sparse"] = true, ["PrivateNote"] = "changed",
        });
        var deleted = await company.PostAsync("payment?operation=delete", new JsonObject { ["Id"] = paymentId, ["SyncToken"] = token });
        var after = await company.ReadAsync("Payment", paymentId);

        foreach (var reply in new[] { voided, updated, deleted })
        {
            Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.BadRequest), reply.ToString());
            using (Assert.EnterMultipleScope())
            {
                Assert.That(reply.Code, Is.EqualTo("6540"));
                Assert.That(Str(reply.FaultError["Message"]), Is.EqualTo("Deposited Transaction cannot be changed"));
                Assert.That(Str(reply.FaultError["Detail"]), Does.StartWith("This transaction has been deposited."));
                Assert.That(Str(reply.Json["Fault"]!["type"]), Is.EqualTo("ValidationFault"));
            }
        }

        Assert.That(JsonNode.DeepEquals(after, payment), Is.True, "nothing changed");
    }

    [Test]
    public async Task A_deposit_of_an_unknown_already_deposited_or_wrong_amount_payment_is_refused_and_changes_nothing()
    {
        var company = await _host.NewCompanyAsync();
        var paymentId = await PaidInvoiceAsync(company, 60m);
        var first = await company.WriteAsync("deposit", "Deposit", DepositBody(Checking, LinkedLine(paymentId, 60m)));
        var otherPayment = await PaidInvoiceAsync(company, 25m);
        var customer = await company.CreateCustomerAsync("Direct Deposit Co");
        var direct = QboTestClient.PaymentBody(Str(customer["Id"]), 10m);
        direct["DepositToAccountRef"] = new JsonObject { ["value"] = Checking };
        var directPayment = await company.WriteAsync("payment", "Payment", direct);

        var unknown = await company.PostAsync("deposit", DepositBody(Checking, LinkedLine("999999", 60m)));
        var again = await company.PostAsync("deposit", DepositBody(Checking, LinkedLine(paymentId, 60m)));
        var wrongAmount = await company.PostAsync("deposit", DepositBody(Checking, LinkedLine(otherPayment, 20m)));
        var notUndeposited = await company.PostAsync("deposit", DepositBody(Checking, LinkedLine(Str(directPayment["Id"]), 10m)));
        var toIncome = await company.PostAsync("deposit", DepositBody("1", LinkedLine(otherPayment, 25m)));
        var toNowhere = await company.PostAsync("deposit", DepositBody("777", LinkedLine(otherPayment, 25m)));
        var books = await _host.GetJsonAsync($"/admin/qbo/companies/{company.RealmId}/books");
        var checking = await company.ReadAsync("Account", Checking);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(unknown.Code, Is.EqualTo("6000"), unknown.ToString());
            Assert.That(Str(unknown.FaultError["Detail"]), Does.Contain("Payment 999999 does not exist"));
            Assert.That(again.Code, Is.EqualTo("6000"), again.ToString());
            Assert.That(Str(again.FaultError["Detail"]), Does.Contain($"already been deposited (Deposit {Str(first["Id"])})"));
            Assert.That(wrongAmount.Code, Is.EqualTo("6000"), wrongAmount.ToString());
            Assert.That(Str(wrongAmount.FaultError["Detail"]), Does.Contain("must equal the total"));
            Assert.That(notUndeposited.Code, Is.EqualTo("6000"), notUndeposited.ToString());
            Assert.That(Str(notUndeposited.FaultError["Detail"]), Does.Contain("not in Undeposited Funds"));
            Assert.That(toIncome.Code, Is.EqualTo("6000"), toIncome.ToString());
            Assert.That(toNowhere.Code, Is.EqualTo("2500"), toNowhere.ToString());
            Assert.That(books["deposits"]!.AsArray(), Has.Count.EqualTo(1));
            Assert.That(books["payments"]!.AsArray().Single(p => Str(p!["id"]) == otherPayment)!["depositId"], Is.Null);
            Assert.That(Dec(checking["CurrentBalance"]), Is.EqualTo(70m), "60 deposited + 10 paid straight into the bank");
        }
    }

    [Test]
    public async Task Deleting_a_deposit_frees_its_payment_and_takes_its_balances_back()
    {
        var company = await _host.NewCompanyAsync();
        var paymentId = await PaidInvoiceAsync(company, 80m);
        var deposit = await company.WriteAsync("deposit", "Deposit", DepositBody(Checking, LinkedLine(paymentId, 80m)));

        var deleted = await company.PostAsync("deposit?operation=delete", new JsonObject { ["Id"] = Str(deposit["Id"]), ["SyncToken"] = "0" });
        var readDeleted = await company.GetAsync($"deposit/{Str(deposit["Id"])}");
        var undeposited = await company.ReadAsync("Account", UndepositedFunds);
        var checking = await company.ReadAsync("Account", Checking);
        var payment = await company.ReadAsync("Payment", paymentId);
        var voided = await company.PostAsync("payment?operation=update&include=void", new JsonObject
        {
            ["Id"] = paymentId, ["SyncToken"] = Str(payment["SyncToken"]), ["sparse"] = true,
        });
        var undepositedAfterVoid = await company.ReadAsync("Account", UndepositedFunds);
        var books = await _host.GetJsonAsync($"/admin/qbo/companies/{company.RealmId}/books");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(deleted.Status, Is.EqualTo(HttpStatusCode.OK), deleted.ToString());
            Assert.That(Str(deleted.Json["Deposit"]!["status"]), Is.EqualTo("Deleted"));
            Assert.That(readDeleted.Code, Is.EqualTo("610"));
            Assert.That(Dec(undeposited["CurrentBalance"]), Is.EqualTo(80m));
            Assert.That(Dec(checking["CurrentBalance"]), Is.Zero);
            Assert.That(voided.Status, Is.EqualTo(HttpStatusCode.OK), voided.ToString());
            Assert.That(Dec(undepositedAfterVoid["CurrentBalance"]), Is.Zero);
            Assert.That(books["deposits"]!.AsArray(), Is.Empty);
            Assert.That(books["payments"]![0]!["depositId"], Is.Null);
        }
    }

    [Test]
    public async Task Accounts_are_created_with_unique_names_and_QuickBooks_types_and_can_be_queried()
    {
        var company = await _host.NewCompanyAsync();
        var savings = await company.WriteAsync("account", "Account", new JsonObject
        {
            ["Name"] = "Savings", ["AccountType"] = "Bank", ["AccountSubType"] = "Savings",
        });
        var duplicate = await company.PostAsync("account", new JsonObject { ["Name"] = "savings", ["AccountType"] = "Bank" });
        var enumStyle = await company.PostAsync("account", new JsonObject { ["Name"] = "Prepaid", ["AccountType"] = "OtherCurrentAsset" });
        var mismatched = await company.PostAsync("account", new JsonObject
        {
            ["Name"] = "Odd", ["AccountType"] = "Expense", ["AccountSubType"] = "UndepositedFunds",
        });
        var banks = await company.QueryAsync("select * from Account where AccountType = 'Bank' orderby Name");
        var undeposited = await company.QueryAsync("select * from account where AccountSubType = 'UndepositedFunds'");
        var items = await company.QueryAsync("select * from Item where Type = 'Service'");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Str(savings["Classification"]), Is.EqualTo("Asset"));
            Assert.That(Dec(savings["CurrentBalance"]), Is.Zero);
            Assert.That(duplicate.Code, Is.EqualTo("6240"), duplicate.ToString());
            Assert.That(Str(duplicate.FaultError["Detail"]), Does.Contain("Id=" + Str(savings["Id"])));
            Assert.That(enumStyle.Code, Is.EqualTo("2170"), enumStyle.ToString());
            Assert.That(mismatched.Code, Is.EqualTo("6000"), mismatched.ToString());
            Assert.That(banks.Json["QueryResponse"]!["Account"]!.AsArray().Select(a => Str(a!["Name"])), Is.EqualTo(BankNames));
            Assert.That(Str(undeposited.Json["QueryResponse"]!["Account"]![0]!["Id"]), Is.EqualTo(UndepositedFunds));
            Assert.That(Str(items.Json["QueryResponse"]!["Item"]![0]!["Name"]), Is.EqualTo("Services"));
        }
    }

    [Test]
    public async Task An_item_is_created_against_an_existing_account_and_its_invoice_lines_are_income_to_that_account()
    {
        var company = await _host.NewCompanyAsync();
        var clearing = await company.WriteAsync("account", "Account", new JsonObject
        {
            ["Name"] = "Reversals Clearing", ["AccountType"] = "Other Current Liability", ["AccountSubType"] = "OtherCurrentLiabilities",
        });
        var item = await company.WriteAsync("item", "Item", new JsonObject
        {
            ["Name"] = "Payment Reversal", ["Type"] = "Service", ["IncomeAccountRef"] = new JsonObject { ["value"] = Str(clearing["Id"]) },
        });
        var duplicate = await company.PostAsync("item", new JsonObject
        {
            ["Name"] = "payment reversal", ["Type"] = "Service", ["IncomeAccountRef"] = new JsonObject { ["value"] = Str(clearing["Id"]) },
        });
        var noAccount = await company.PostAsync("item", new JsonObject { ["Name"] = "Orphan", ["Type"] = "Service" });
        var unknownAccount = await company.PostAsync("item", new JsonObject
        {
            ["Name"] = "Orphan", ["Type"] = "Service", ["IncomeAccountRef"] = new JsonObject { ["value"] = "999" },
        });
        var inventory = await company.PostAsync("item", new JsonObject
        {
            ["Name"] = "Widget", ["Type"] = "Inventory", ["IncomeAccountRef"] = new JsonObject { ["value"] = "1" },
        });
        var update = await company.PostAsync("item", new JsonObject { ["Id"] = Str(item["Id"]), ["SyncToken"] = "0", ["Name"] = "Renamed" });

        var customer = await company.CreateCustomerAsync("Customer " + Guid.NewGuid().ToString("N")[..8]);
        var invoice = await company.WriteAsync("invoice", "Invoice", new JsonObject
        {
            ["CustomerRef"] = new JsonObject { ["value"] = Str(customer["Id"]) },
            ["Line"] = new JsonArray(new JsonObject
            {
                ["DetailType"] = "SalesItemLineDetail", ["Amount"] = 42.50m,
                ["SalesItemLineDetail"] = new JsonObject { ["ItemRef"] = new JsonObject { ["value"] = Str(item["Id"]) } },
            }),
        });
        var credited = await company.ReadAsync("Account", Str(clearing["Id"]));
        await company.WriteAsync("invoice?operation=void", "Invoice", new JsonObject { ["Id"] = Str(invoice["Id"]), ["SyncToken"] = Str(invoice["SyncToken"]) });
        var afterVoid = await company.ReadAsync("Account", Str(clearing["Id"]));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Str(item["Type"]), Is.EqualTo("Service"));
            Assert.That(Str(item["IncomeAccountRef"]!["value"]), Is.EqualTo(Str(clearing["Id"])));
            Assert.That(Str(item["IncomeAccountRef"]!["name"]), Is.EqualTo("Reversals Clearing"));
            Assert.That(duplicate.Code, Is.EqualTo("6240"), duplicate.ToString());
            Assert.That(noAccount.Code, Is.EqualTo("2020"), noAccount.ToString());
            Assert.That(unknownAccount.Code, Is.EqualTo("2500"), unknownAccount.ToString());
            Assert.That(inventory.Code, Is.EqualTo("2170"), inventory.ToString());
            Assert.That(update.Code, Is.EqualTo("500"), update.ToString());
            Assert.That(Dec(credited["CurrentBalance"]), Is.EqualTo(42.50m), "a liability credited by the invoice line");
            Assert.That(Dec(afterVoid["CurrentBalance"]), Is.Zero, "the void takes the income back");
        }
    }

    /// <summary>A customer, an invoice of the amount, and a payment of it into Undeposited Funds; returns the payment id.</summary>
    private static async Task<string> PaidInvoiceAsync(QboTestClient company, decimal amount)
    {
        var customer = await company.CreateCustomerAsync("Customer " + Guid.NewGuid().ToString("N")[..8]);
        var invoice = await company.CreateInvoiceAsync(Str(customer["Id"]), amount);
        var payment = await company.WriteAsync("payment", "Payment",
            QboTestClient.PaymentBody(Str(customer["Id"]), amount, (Str(invoice["Id"]), amount)));
        return Str(payment["Id"]);
    }

    internal static JsonObject DepositBody(string accountId, params JsonObject[] lines) => new()
    {
        ["DepositToAccountRef"] = new JsonObject { ["value"] = accountId },
        ["Line"] = new JsonArray([.. lines]),
    };

    internal static JsonObject LinkedLine(string paymentId, decimal amount) => new()
    {
        ["Amount"] = amount,
        ["LinkedTxn"] = new JsonArray(new JsonObject { ["TxnId"] = paymentId, ["TxnType"] = "Payment", ["TxnLineId"] = "0" }),
    };

    private static JsonObject FeeLine(string accountId, decimal amount) => new()
    {
        ["DetailType"] = "DepositLineDetail",
        ["Amount"] = amount,
        ["DepositLineDetail"] = new JsonObject { ["AccountRef"] = new JsonObject { ["value"] = accountId } },
    };

    private static string Str(JsonNode? node) => node?.GetValue<string>() ?? throw new AssertionException("missing string value");

    private static decimal Dec(JsonNode? node) => node?.GetValue<decimal>() ?? throw new AssertionException("missing number value");
}
