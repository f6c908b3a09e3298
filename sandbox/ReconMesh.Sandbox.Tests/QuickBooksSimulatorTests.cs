using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.Tests;

/// <summary>
/// Contract tests of the QuickBooks Online v3 simulator over real HTTP: the shapes, rules and faults a client written
/// from Intuit's documentation relies on. Each test works in its own company, created through the admin API.
/// </summary>
[TestFixture]
public sealed class QuickBooksSimulatorTests
{
    private const string DefaultRealm = "9130357766900000";
    private const string DefaultToken = "sandbox-qbo-token";
    private const string IsoWithOffset = @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$";

    private static readonly string[] BookInvoiceKeys = ["id", "docNumber", "customerId", "totalAmt", "balance", "voided", "deleted", "linkedPaymentIds"];

    private QuickBooksSandboxHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync() =>
        // Limits off here (the throttle has its own host): concurrent tests must not trip over them.
        _host = await QuickBooksSandboxHost.StartAsync(new Dictionary<string, string?>
        {
            ["Sandbox:QuickBooks:RequestsPerMinute"] = "0",
            ["Sandbox:QuickBooks:MaxConcurrent"] = "0",
        });

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    // ---------------------------------------------------------------- authentication

    [Test]
    public async Task A_request_without_a_valid_bearer_token_gets_the_lowercase_401_AuthenticationFault()
    {
        var company = new QboTestClient(_host.Http, DefaultRealm, DefaultToken);
        var missing = await company.GetAsync("invoice/1", token: "");
        var wrong = await company.GetAsync("invoice/1", token: "not-the-token");
        var otherRealm = await new QboTestClient(_host.Http, "123", DefaultToken).GetAsync("customer/1");

        foreach (var reply in new[] { missing, wrong, otherRealm })
        {
            Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.Unauthorized), reply.ToString());
            var json = reply.Json;
            using (Assert.EnterMultipleScope())
            {
                Assert.That(json["Fault"], Is.Null, "401 bodies use lowercase keys");
                Assert.That(Str(json["fault"]!["error"]![0]!["code"]), Is.EqualTo("3200"));
                Assert.That(Str(json["fault"]!["error"]![0]!["message"]), Does.Contain("errorCode=003200; statusCode=401"));
                Assert.That(Str(json["fault"]!["type"]), Is.EqualTo("AUTHENTICATION"));
                Assert.That(json["time"]!.GetValueKind(), Is.EqualTo(JsonValueKind.Number));
            }
        }
    }

    [Test]
    public async Task The_default_company_has_the_documented_accounts_and_Services_item()
    {
        var company = new QboTestClient(_host.Http, DefaultRealm, DefaultToken);
        var undeposited = await company.ReadAsync("Account", "4");
        var checking = await company.ReadAsync("Account", "35");
        var income = await company.ReadAsync("Account", "1");
        var item = await company.ReadAsync("Item", "1");
        var byQuery = await company.QueryAsync("select * from account where AccountSubType = 'UndepositedFunds'");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Str(undeposited["Name"]), Is.EqualTo("Undeposited Funds"));
            Assert.That(Str(undeposited["AccountType"]), Is.EqualTo("Other Current Asset"));
            Assert.That(Str(undeposited["AccountSubType"]), Is.EqualTo("UndepositedFunds"));
            Assert.That(Str(checking["Name"]), Is.EqualTo("Checking"));
            Assert.That(Str(checking["AccountType"]), Is.EqualTo("Bank"));
            Assert.That(Str(checking["AccountSubType"]), Is.EqualTo("Checking"));
            Assert.That(Str(income["Name"]), Is.EqualTo("Services"));
            Assert.That(Str(item["Name"]), Is.EqualTo("Services"));
            Assert.That(Str(item["Type"]), Is.EqualTo("Service"));
            Assert.That(Str(byQuery.Json["QueryResponse"]!["Account"]![0]!["Id"]), Is.EqualTo("4"));
        }
    }

    // ---------------------------------------------------------------- customers

    [Test]
    public async Task Creating_a_customer_returns_it_in_QuickBooks_shape_and_reading_returns_the_same()
    {
        var company = await _host.NewCompanyAsync();
        var reply = await company.PostAsync("customer", JsonNode.Parse("""
            {
              "FullyQualifiedName": "King Groceries",
              "PrimaryEmailAddr": { "Address": "jdrew@myemail.com" },
              "DisplayName": "King's Groceries",
              "Suffix": "Jr", "Title": "Mr", "MiddleName": "B",
              "Notes": "Here are other details.",
              "FamilyName": "King",
              "PrimaryPhone": { "FreeFormNumber": "(555) 555-5555" },
              "CompanyName": "King Groceries",
              "BillAddr": { "CountrySubDivisionCode": "CA", "City": "Mountain View", "PostalCode": "94042", "Line1": "123 Main Street", "Country": "USA" },
              "GivenName": "James"
            }
            """)!);

        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.OK), reply.ToString());
        var customer = reply.Json["Customer"]!.AsObject();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(customer["Id"]!.GetValueKind(), Is.EqualTo(JsonValueKind.String));
            Assert.That(Str(customer["SyncToken"]), Is.EqualTo("0"));
            Assert.That(Str(customer["domain"]), Is.EqualTo("QBO"));
            Assert.That(customer["sparse"]!.GetValue<bool>(), Is.False);
            Assert.That(customer["Active"]!.GetValue<bool>(), Is.True);
            Assert.That(Dec(customer["Balance"]), Is.Zero);
            Assert.That(Str(customer["DisplayName"]), Is.EqualTo("King's Groceries"));
            Assert.That(Str(customer["CompanyName"]), Is.EqualTo("King Groceries"));
            Assert.That(Str(customer["GivenName"]), Is.EqualTo("James"));
            Assert.That(Str(customer["FamilyName"]), Is.EqualTo("King"));
            Assert.That(Str(customer["PrimaryEmailAddr"]!["Address"]), Is.EqualTo("jdrew@myemail.com"));
            Assert.That(Str(customer["PrimaryPhone"]!["FreeFormNumber"]), Is.EqualTo("(555) 555-5555"));
            Assert.That(customer["BillAddr"]!["Id"]!.GetValueKind(), Is.EqualTo(JsonValueKind.String));
            Assert.That(Str(customer["MetaData"]!["CreateTime"]), Does.Match(IsoWithOffset));
            Assert.That(Str(customer["MetaData"]!["LastUpdatedTime"]), Does.Match(IsoWithOffset));
            Assert.That(reply.Json["time"]!.GetValueKind(), Is.EqualTo(JsonValueKind.String));
            Assert.That(reply.Body, Does.Contain("\"King's Groceries\""), "apostrophes are not escaped");
        }

        var read = await company.ReadAsync("Customer", Str(customer["Id"]));
        Assert.That(JsonNode.DeepEquals(read, customer), Is.True, read.ToJsonString());
    }

    [Test]
    public async Task A_duplicate_customer_DisplayName_is_refused_with_6240()
    {
        var company = await _host.NewCompanyAsync();
        var first = await company.CreateCustomerAsync("Bayshore Dental Group");

        var reply = await company.PostAsync("customer", new JsonObject { ["DisplayName"] = "bayshore dental group" });

        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.BadRequest), reply.ToString());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(reply.Code, Is.EqualTo("6240"));
            Assert.That(Str(reply.FaultError["Message"]), Is.EqualTo("Duplicate Name Exists Error"));
            Assert.That(Str(reply.FaultError["Detail"]), Does.Contain("Id=" + Str(first["Id"])));
            Assert.That(Str(reply.Json["Fault"]!["type"]), Is.EqualTo("ValidationFault"));
        }
    }

    [Test]
    public async Task A_customer_made_inactive_is_renamed_hidden_from_queries_and_cannot_be_invoiced()
    {
        var company = await _host.NewCompanyAsync();
        var customer = await company.CreateCustomerAsync("Closing Shop");
        var id = Str(customer["Id"]);

        var inactive = await company.WriteAsync("customer", "Customer", new JsonObject
        {
            ["Id"] = id, ["SyncToken"] = "0", ["sparse"] = true, ["Active"] = false,
        });
        var active = await company.QueryAsync("select count(*) from Customer");
        var all = await company.QueryAsync("select count(*) from Customer where Active in (true, false)");
        var invoice = await company.PostAsync("invoice", new JsonObject
        {
            ["CustomerRef"] = new JsonObject { ["value"] = id },
            ["Line"] = new JsonArray(new JsonObject { ["DetailType"] = "SalesItemLineDetail", ["Amount"] = 1m }),
        });
        var sameNameAgain = await company.PostAsync("customer", new JsonObject { ["DisplayName"] = "Closing Shop" });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(inactive["Active"]!.GetValue<bool>(), Is.False);
            Assert.That(Str(inactive["DisplayName"]), Is.EqualTo("Closing Shop (deleted)"));
            Assert.That(Str(inactive["SyncToken"]), Is.EqualTo("1"));
            Assert.That(active.Json["QueryResponse"]!["totalCount"]!.GetValue<int>(), Is.Zero);
            Assert.That(all.Json["QueryResponse"]!["totalCount"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(invoice.Code, Is.EqualTo("2500"));
            Assert.That(sameNameAgain.Status, Is.EqualTo(HttpStatusCode.OK), sameNameAgain.ToString());
        }
    }

    // ---------------------------------------------------------------- invoices

    [Test]
    public async Task Creating_an_invoice_returns_it_in_QuickBooks_shape_and_reading_returns_the_same()
    {
        var company = await _host.NewCompanyAsync();
        var customer = await company.CreateCustomerAsync("Amy's Bird Sanctuary", "birds@example.com");
        var customerId = Str(customer["Id"]);

        // The minimum create request of Intuit's Invoice page, with the entity path capitalised.
        var reply = await company.PostAsync("Invoice", JsonNode.Parse($$"""
            {
              "Line": [
                { "DetailType": "SalesItemLineDetail", "Amount": 100.0, "SalesItemLineDetail": { "ItemRef": { "name": "Services", "value": "1" } } },
                { "DetailType": "SalesItemLineDetail", "Amount": 25.50, "Description": "Bird seed", "SalesItemLineDetail": { "ItemRef": { "value": "1" }, "Qty": 3, "UnitPrice": 8.50 } }
              ],
              "CustomerRef": { "value": "{{customerId}}" },
              "DueDate": "2030-01-31"
            }
            """)!);

        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.OK), reply.ToString());
        var invoice = reply.Json["Invoice"]!.AsObject();
        var lines = invoice["Line"]!.AsArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(invoice["Id"]!.GetValueKind(), Is.EqualTo(JsonValueKind.String));
            Assert.That(Str(invoice["SyncToken"]), Is.EqualTo("0"));
            Assert.That(Str(invoice["domain"]), Is.EqualTo("QBO"));
            Assert.That(invoice["sparse"]!.GetValue<bool>(), Is.False);
            Assert.That(Dec(invoice["TotalAmt"]), Is.EqualTo(125.50m));
            Assert.That(Dec(invoice["Balance"]), Is.EqualTo(125.50m));
            Assert.That(invoice["DocNumber"]!.GetValueKind(), Is.EqualTo(JsonValueKind.String));
            Assert.That(Str(invoice["CustomerRef"]!["value"]), Is.EqualTo(customerId));
            Assert.That(Str(invoice["CustomerRef"]!["name"]), Is.EqualTo("Amy's Bird Sanctuary"));
            Assert.That(Str(invoice["CurrencyRef"]!["value"]), Is.EqualTo("USD"));
            Assert.That(Str(invoice["CurrencyRef"]!["name"]), Is.EqualTo("United States Dollar"));
            Assert.That(Str(invoice["TxnDate"]), Does.Match(@"^\d{4}-\d{2}-\d{2}$"));
            Assert.That(Str(invoice["DueDate"]), Is.EqualTo("2030-01-31"));
            Assert.That(invoice["LinkedTxn"]!.AsArray(), Is.Empty);
            Assert.That(Str(invoice["BillEmail"]!["Address"]), Is.EqualTo("birds@example.com"));
            Assert.That(Str(invoice["MetaData"]!["CreateTime"]), Does.Match(IsoWithOffset));
            Assert.That(lines, Has.Count.EqualTo(3));
            Assert.That(Str(lines[0]!["Id"]), Is.EqualTo("1"));
            Assert.That(lines[0]!["LineNum"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(Str(lines[1]!["Id"]), Is.EqualTo("2"));
            Assert.That(Str(lines[1]!["Description"]), Is.EqualTo("Bird seed"));
            Assert.That(Str(lines[2]!["DetailType"]), Is.EqualTo("SubTotalLineDetail"));
            Assert.That(Dec(lines[2]!["Amount"]), Is.EqualTo(125.50m));
            Assert.That(lines[2]!["SubTotalLineDetail"], Is.InstanceOf<JsonObject>());
        }

        var read = await company.ReadAsync("Invoice", Str(invoice["Id"]));
        var readCustomer = await company.ReadAsync("Customer", customerId);
        var second = await company.CreateInvoiceAsync(customerId, 10m);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(JsonNode.DeepEquals(read, invoice), Is.True, read.ToJsonString());
            Assert.That(Dec(readCustomer["Balance"]), Is.EqualTo(125.50m), "customer balance = open invoice balances");
            Assert.That(long.Parse(Str(second["DocNumber"]), CultureInfo.InvariantCulture),
                Is.EqualTo(long.Parse(Str(invoice["DocNumber"]), CultureInfo.InvariantCulture) + 1), "DocNumbers are sequential");
        }
    }

    [Test]
    public async Task An_invoice_needs_an_existing_customer_and_a_line()
    {
        var company = await _host.NewCompanyAsync();
        var line = new JsonArray(new JsonObject { ["DetailType"] = "SalesItemLineDetail", ["Amount"] = 10m, ["SalesItemLineDetail"] = new JsonObject() });

        var noCustomer = await company.PostAsync("invoice", new JsonObject { ["Line"] = line.DeepClone() });
        var unknownCustomer = await company.PostAsync("invoice", new JsonObject { ["CustomerRef"] = new JsonObject { ["value"] = "999" }, ["Line"] = line.DeepClone() });
        var customer = await company.CreateCustomerAsync("Lineless Inc.");
        var noLine = await company.PostAsync("invoice", new JsonObject { ["CustomerRef"] = new JsonObject { ["value"] = Str(customer["Id"]) } });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(noCustomer.Status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(noCustomer.Code, Is.EqualTo("2020"));
            Assert.That(unknownCustomer.Status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(unknownCustomer.Code, Is.EqualTo("2500"));
            Assert.That(Str(unknownCustomer.FaultError["Message"]), Is.EqualTo("Invalid Reference Id"));
            Assert.That(noLine.Status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(noLine.Code, Is.EqualTo("2020"));
        }
    }

    [Test]
    public async Task Sparse_update_changes_only_the_given_fields_and_full_update_clears_omitted_ones()
    {
        var company = await _host.NewCompanyAsync();
        var customer = await company.CreateCustomerAsync("Summit Architects");
        var invoice = await company.CreateInvoiceAsync(Str(customer["Id"]), new JsonObject { ["PrivateNote"] = "keep me" }, 200m);

        var sparse = await company.WriteAsync("invoice?operation=update", "Invoice", new JsonObject
        {
            ["Id"] = Str(invoice["Id"]),
            ["SyncToken"] = "0",
            ["sparse"] = true,
            ["DueDate"] = "2031-03-01",
        });
        var full = (JsonObject)sparse.DeepClone();
        full.Remove("PrivateNote");
        full["DueDate"] = "2031-04-01";
        var replaced = await company.WriteAsync("invoice?operation=update", "Invoice", full);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Str(sparse["SyncToken"]), Is.EqualTo("1"));
            Assert.That(Str(sparse["DueDate"]), Is.EqualTo("2031-03-01"));
            Assert.That(Str(sparse["PrivateNote"]), Is.EqualTo("keep me"));
            Assert.That(Dec(sparse["TotalAmt"]), Is.EqualTo(200m));
            Assert.That(sparse["Line"]!.AsArray(), Has.Count.EqualTo(2), "the stored SubTotal line is not duplicated");
            Assert.That(Str(replaced["SyncToken"]), Is.EqualTo("2"));
            Assert.That(Str(replaced["DueDate"]), Is.EqualTo("2031-04-01"));
            Assert.That(replaced["PrivateNote"], Is.Null, "a full update clears what it omits");
            Assert.That(Str(replaced["DocNumber"]), Is.EqualTo(Str(invoice["DocNumber"])));
        }
    }

    [Test]
    public async Task An_update_with_a_stale_SyncToken_gets_the_5010_fault()
    {
        var company = await _host.NewCompanyAsync();
        var customer = await company.CreateCustomerAsync("Stale Bread Bakery");
        var invoice = await company.CreateInvoiceAsync(Str(customer["Id"]), 50m);
        var update = new JsonObject { ["Id"] = Str(invoice["Id"]), ["SyncToken"] = "0", ["sparse"] = true, ["PrivateNote"] = "first" };
        await company.WriteAsync("invoice?operation=update", "Invoice", update);

        var stale = await company.PostAsync("invoice?operation=update", update);
        var current = await company.ReadAsync("Invoice", Str(invoice["Id"]));

        Assert.That(stale.Status, Is.EqualTo(HttpStatusCode.BadRequest), stale.ToString());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(stale.Json["Fault"]!["Error"]!.AsArray(), Has.Count.EqualTo(1));
            Assert.That(Str(stale.FaultError["Message"]), Is.EqualTo("Stale Object Error"));
            Assert.That(Str(stale.FaultError["Detail"]), Does.StartWith("Stale Object Error : You and ").And.EndWith("Entity=Invoice"));
            Assert.That(stale.Code, Is.EqualTo("5010"));
            Assert.That(Str(stale.FaultError["element"]), Is.EqualTo("SyncToken"));
            Assert.That(Str(stale.Json["Fault"]!["type"]), Is.EqualTo("ValidationFault"));
            Assert.That(stale.Json["time"]!.GetValueKind(), Is.EqualTo(JsonValueKind.String));
            Assert.That(Str(current["SyncToken"]), Is.EqualTo("1"));
        }
    }

    [Test]
    public async Task A_deleted_invoice_reads_as_610_and_leaves_queries()
    {
        var company = await _host.NewCompanyAsync();
        var customer = await company.CreateCustomerAsync("Gone Tomorrow LLC");
        var invoice = await company.CreateInvoiceAsync(Str(customer["Id"]), 75m);
        var id = Str(invoice["Id"]);

        var deleted = await company.PostAsync("invoice?operation=delete", new JsonObject { ["Id"] = id, ["SyncToken"] = "0" });
        var read = await company.GetAsync("invoice/" + id);
        var count = await company.QueryAsync("select count(*) from Invoice");
        var customerAfter = await company.ReadAsync("Customer", Str(customer["Id"]));

        Assert.That(deleted.Status, Is.EqualTo(HttpStatusCode.OK), deleted.ToString());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(JsonNode.DeepEquals(deleted.Json["Invoice"], JsonNode.Parse($$"""{"status":"Deleted","domain":"QBO","Id":"{{id}}"}""")), Is.True, deleted.Body);
            Assert.That(read.Status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(read.Code, Is.EqualTo("610"));
            Assert.That(Str(read.FaultError["Message"]), Is.EqualTo("Object Not Found"));
            Assert.That(count.Json["QueryResponse"]!["totalCount"]!.GetValue<int>(), Is.Zero);
            Assert.That(Dec(customerAfter["Balance"]), Is.Zero);
        }
    }

    [Test]
    public async Task Voiding_an_invoice_zeroes_it_and_keeps_it_queryable()
    {
        var company = await _host.NewCompanyAsync();
        var customer = await company.CreateCustomerAsync("Void Ventures");
        var invoice = await company.CreateInvoiceAsync(Str(customer["Id"]), 40m, 60m);

        var voided = await company.WriteAsync("invoice?operation=void", "Invoice", new JsonObject { ["Id"] = Str(invoice["Id"]), ["SyncToken"] = "0" });
        var found = await company.QueryAsync($"select * from Invoice where Id = '{Str(invoice["Id"])}'");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Dec(voided["TotalAmt"]), Is.Zero);
            Assert.That(Dec(voided["Balance"]), Is.Zero);
            Assert.That(voided["Line"]!.AsArray().Select(l => Dec(l!["Amount"])), Is.All.EqualTo(0m));
            Assert.That(Str(voided["PrivateNote"]), Is.EqualTo("Voided"));
            Assert.That(Str(voided["SyncToken"]), Is.EqualTo("1"));
            Assert.That(found.Json["QueryResponse"]!["Invoice"]!.AsArray(), Has.Count.EqualTo(1));
        }
    }

    // ---------------------------------------------------------------- queries

    [Test]
    public async Task Queries_filter_order_page_and_count_like_QuickBooks()
    {
        var company = await _host.NewCompanyAsync();
        var amy = Str((await company.CreateCustomerAsync("Amy's Bird Sanctuary"))["Id"]);
        var bill = Str((await company.CreateCustomerAsync("Bill's Windsurf Shop"))["Id"]);
        var cool = Str((await company.CreateCustomerAsync("Cool Cars"))["Id"]);
        static JsonObject On(string date) => new() { ["TxnDate"] = date };
        var a = Str((await company.CreateInvoiceAsync(amy, On("2024-01-05"), 100m))["Id"]);
        var b = Str((await company.CreateInvoiceAsync(amy, On("2024-02-10"), 200m, 50.50m))["Id"]);
        var c = Str((await company.CreateInvoiceAsync(bill, On("2024-12-01"), 75m))["Id"]);
        var d = Str((await company.CreateInvoiceAsync(cool, On("2024-03-15"), 1000m))["Id"]);
        var e = Str((await company.CreateInvoiceAsync(cool, On("2024-04-01"), 20m))["Id"]);
        var f = Str((await company.CreateInvoiceAsync(bill, On("2024-05-01"), 30m))["Id"]);
        await company.WriteAsync("invoice?operation=void", "Invoice", new JsonObject { ["Id"] = e, ["SyncToken"] = "0" });
        await company.PostAsync("invoice?operation=delete", new JsonObject { ["Id"] = f, ["SyncToken"] = "0" });

        var byAmount = await company.QueryAsync("select * from Invoice where TotalAmt > '99.99' orderby TotalAmt desc");
        var byDate = await company.QueryAsync("SELECT * FROM invoice WHERE TxnDate >= '2024-02-10' AND TxnDate < '2024-12-01' ORDERBY TxnDate");
        var open = await company.QueryAsync("select * from Invoice where Balance > '0'");
        var apostrophe = await company.QueryAsync(@"select * from Customer where DisplayName = 'Amy\'s Bird Sanctuary'");
        var like = await company.QueryAsync("select * from Customer where DisplayName like '%wind%'");
        var inList = await company.QueryAsync($"select * from Invoice where CustomerRef in ('{amy}', '{bill}') order by Id");
        var count = await company.QueryAsync("select count(*) from Invoice startposition 1 maxresults 1000");
        var page = await company.QueryAsync("select * from Invoice orderby Id startposition 2 maxresults 2");
        var lastPage = await company.QueryAsync("select * from Invoice orderby Id startposition 5 maxresults 2");
        var none = await company.QueryAsync("select * from Invoice where DocNumber = 'no-such-number'");
        var voided = await company.QueryAsync($"select * from Invoice where Id = '{e}'");
        var changed = await company.QueryAsync("select count(*) from Invoice where MetaData.LastUpdatedTime > '2000-01-01T00:00:00-08:00'");
        var notYet = await company.QueryAsync("select * from Invoice where Metadata.LastUpdatedTime >= '2999-01-01'");

        static string[] Ids(QboReply reply, string entity) =>
            [.. reply.Json["QueryResponse"]![entity]!.AsArray().Select(row => row!["Id"]!.GetValue<string>())];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Ids(byAmount, "Invoice"), Is.EqualTo(new[] { d, b, a }), "amounts compare as numbers");
            Assert.That(byAmount.Json["QueryResponse"]!["startPosition"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(byAmount.Json["QueryResponse"]!["maxResults"]!.GetValue<int>(), Is.EqualTo(3));
            Assert.That(Ids(byDate, "Invoice"), Is.EqualTo(new[] { b, d, e }), "dates compare chronologically");
            Assert.That(Ids(open, "Invoice"), Is.EquivalentTo(new[] { a, b, c, d }));
            Assert.That(Ids(apostrophe, "Customer"), Is.EqualTo(new[] { amy }));
            Assert.That(Ids(like, "Customer"), Is.EqualTo(new[] { bill }));
            Assert.That(Ids(inList, "Invoice"), Is.EqualTo(new[] { a, b, c }), "deleted invoices are not returned");
            Assert.That(JsonNode.DeepEquals(count.Json["QueryResponse"], JsonNode.Parse("""{"totalCount":5}""")), Is.True, count.Body);
            Assert.That(page.Json["QueryResponse"]!["startPosition"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(page.Json["QueryResponse"]!["maxResults"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(Ids(page, "Invoice"), Is.EqualTo(new[] { b, c }));
            Assert.That(Ids(lastPage, "Invoice"), Is.EqualTo(new[] { e }));
            Assert.That(lastPage.Json["QueryResponse"]!["maxResults"]!.GetValue<int>(), Is.EqualTo(1), "maxResults is the number of rows returned");
            Assert.That(none.Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(none.Json["QueryResponse"]!.AsObject(), Is.Empty, none.Body);
            Assert.That(Dec(voided.Json["QueryResponse"]!["Invoice"]![0]!["TotalAmt"]), Is.Zero, "voided invoices are returned");
            Assert.That(changed.Json["QueryResponse"]!["totalCount"]!.GetValue<int>(), Is.EqualTo(5));
            Assert.That(notYet.Json["QueryResponse"]!.AsObject(), Is.Empty);
        }
    }

    [TestCase("select * from Invoice where", "4000")]
    [TestCase("select from Invoice", "4000")]
    [TestCase("select * from Invoice where TotalAmt = '1' or Balance = '2'", "4000")]
    [TestCase("select * from Invoice where DocNumber = 'unterminated", "4000")]
    [TestCase("select * from Invoice orderby", "4000")]
    [TestCase("delete from Invoice", "4000")]
    [TestCase("", "4000")]
    [TestCase("select * from Invoice maxresults 1001", "4001")]
    [TestCase("select * from Invoice where NoSuchProperty = '1'", "4001")]
    public async Task A_query_that_cannot_be_run_gets_a_400_Fault(string query, string code)
    {
        var company = await _host.NewCompanyAsync();

        var reply = await company.QueryAsync(query);

        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.BadRequest), reply.ToString());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(reply.Code, Is.EqualTo(code));
            Assert.That(Str(reply.Json["Fault"]!["type"]), Is.EqualTo("ValidationFault"));
            if (code == "4000")
            {
                Assert.That(Str(reply.FaultError["Message"]), Is.EqualTo("Error parsing query"));
                Assert.That(Str(reply.FaultError["Detail"]), Does.StartWith("QueryParserError: "));
            }
        }
    }

    // ---------------------------------------------------------------- payments

    [Test]
    public async Task A_payment_linked_to_an_invoice_reduces_its_balance_bumps_its_SyncToken_and_links_back()
    {
        var company = await _host.NewCompanyAsync();
        var customer = await company.CreateCustomerAsync("Red Rock Diner");
        var customerId = Str(customer["Id"]);
        var invoice = await company.CreateInvoiceAsync(customerId, 100m);
        var invoiceId = Str(invoice["Id"]);
        var body = QboTestClient.PaymentBody(customerId, 40m, (invoiceId, 40m));
        body["PaymentRefNum"] = "ACH-000123";
        body["PrivateNote"] = "ReconMesh payment 42";

        var payment = await company.WriteAsync("payment", "Payment", body);
        var after = await company.ReadAsync("Invoice", invoiceId);
        var customerAfter = await company.ReadAsync("Customer", customerId);

        var paymentId = Str(payment["Id"]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(payment["Id"]!.GetValueKind(), Is.EqualTo(JsonValueKind.String));
            Assert.That(Str(payment["SyncToken"]), Is.EqualTo("0"));
            Assert.That(Dec(payment["TotalAmt"]), Is.EqualTo(40m));
            Assert.That(Dec(payment["UnappliedAmt"]), Is.Zero);
            Assert.That(Str(payment["DepositToAccountRef"]!["value"]), Is.EqualTo("4"), "Undeposited Funds by default");
            Assert.That(Str(payment["CustomerRef"]!["name"]), Is.EqualTo("Red Rock Diner"));
            Assert.That(Str(payment["PaymentRefNum"]), Is.EqualTo("ACH-000123"));
            Assert.That(Str(payment["PrivateNote"]), Is.EqualTo("ReconMesh payment 42"));
            Assert.That(Str(payment["Line"]![0]!["LinkedTxn"]![0]!["TxnId"]), Is.EqualTo(invoiceId));
            Assert.That(Str(payment["Line"]![0]!["LinkedTxn"]![0]!["TxnType"]), Is.EqualTo("Invoice"));
            Assert.That(Str(payment["MetaData"]!["CreateTime"]), Does.Match(IsoWithOffset));

            Assert.That(Dec(after["Balance"]), Is.EqualTo(60m));
            Assert.That(Dec(after["TotalAmt"]), Is.EqualTo(100m));
            Assert.That(Str(after["SyncToken"]), Is.EqualTo("1"));
            Assert.That(JsonNode.DeepEquals(after["LinkedTxn"], JsonNode.Parse($$"""[{"TxnId":"{{paymentId}}","TxnType":"Payment"}]""")), Is.True,
                after["LinkedTxn"]!.ToJsonString());
            Assert.That(DateTimeOffset.Parse(Str(after["MetaData"]!["LastUpdatedTime"]), CultureInfo.InvariantCulture),
                Is.GreaterThanOrEqualTo(DateTimeOffset.Parse(Str(after["MetaData"]!["CreateTime"]), CultureInfo.InvariantCulture)));
            Assert.That(Dec(customerAfter["Balance"]), Is.EqualTo(60m));
        }
    }

    [Test]
    public async Task An_overpayment_is_kept_as_unapplied_credit()
    {
        var company = await _host.NewCompanyAsync();
        var customer = await company.CreateCustomerAsync("Generous Payers Co.");
        var invoice = await company.CreateInvoiceAsync(Str(customer["Id"]), 50.25m);

        var payment = await company.WriteAsync("payment", "Payment",
            QboTestClient.PaymentBody(Str(customer["Id"]), 80m, (Str(invoice["Id"]), 50.25m)));
        var unlinked = await company.WriteAsync("payment", "Payment", QboTestClient.PaymentBody(Str(customer["Id"]), 25m));
        var paidInvoice = await company.ReadAsync("Invoice", Str(invoice["Id"]));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Dec(payment["UnappliedAmt"]), Is.EqualTo(29.75m));
            Assert.That(Dec(paidInvoice["Balance"]), Is.Zero);
            Assert.That(Dec(unlinked["UnappliedAmt"]), Is.EqualTo(25m));
            Assert.That(unlinked["Line"]!.AsArray(), Is.Empty);
        }
    }

    [Test]
    public async Task A_payment_that_cannot_be_applied_is_refused_with_6000_and_changes_nothing()
    {
        var company = await _host.NewCompanyAsync();
        var customer = await company.CreateCustomerAsync("Careful Payers");
        var other = await company.CreateCustomerAsync("Someone Else");
        var invoice = await company.CreateInvoiceAsync(Str(customer["Id"]), 100m);
        var othersInvoice = await company.CreateInvoiceAsync(Str(other["Id"]), 100m);
        var customerId = Str(customer["Id"]);
        var invoiceId = Str(invoice["Id"]);

        var tooMuch = await company.PostAsync("payment", QboTestClient.PaymentBody(customerId, 150m, (invoiceId, 100.01m)));
        var noTotal = QboTestClient.PaymentBody(customerId, 0m, (invoiceId, 10m));
        noTotal.Remove("TotalAmt");
        var missingTotal = await company.PostAsync("payment", noTotal);
        var wrongCustomer = await company.PostAsync("payment", QboTestClient.PaymentBody(customerId, 10m, (Str(othersInvoice["Id"]), 10m)));
        var noSuchInvoice = await company.PostAsync("payment", QboTestClient.PaymentBody(customerId, 10m, ("99999", 10m)));
        var linesAboveTotal = await company.PostAsync("payment", QboTestClient.PaymentBody(customerId, 10m, (invoiceId, 20m)));
        // All of a payment's effects happen or none: the first line is fine, the second is not.
        var halfValid = await company.PostAsync("payment", QboTestClient.PaymentBody(customerId, 20m, (invoiceId, 10m), (Str(othersInvoice["Id"]), 10m)));

        foreach (var reply in new[] { tooMuch, missingTotal, wrongCustomer, noSuchInvoice, linesAboveTotal, halfValid })
        {
            Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.BadRequest), reply.ToString());
            Assert.That(reply.Code, Is.EqualTo("6000"), reply.ToString());
            Assert.That(Str(reply.FaultError["Detail"]), Does.StartWith("Business Validation Error: "));
        }

        var after = await company.ReadAsync("Invoice", invoiceId);
        var books = await _host.GetJsonAsync($"/admin/qbo/companies/{company.RealmId}/books");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Dec(after["Balance"]), Is.EqualTo(100m));
            Assert.That(Str(after["SyncToken"]), Is.EqualTo("0"));
            Assert.That(books["payments"]!.AsArray(), Is.Empty);
            Assert.That(Str(tooMuch.FaultError["Detail"]), Does.Contain("100.00").And.Contain("100.01"));
        }
    }

    [Test]
    public async Task Voiding_a_payment_restores_the_invoice_balance_and_bumps_its_SyncToken()
    {
        var company = await _host.NewCompanyAsync();
        var customer = await company.CreateCustomerAsync("Bounced Check Bistro");
        var invoice = await company.CreateInvoiceAsync(Str(customer["Id"]), 100m);
        var invoiceId = Str(invoice["Id"]);
        var body = QboTestClient.PaymentBody(Str(customer["Id"]), 100m, (invoiceId, 100m));
        body["PrivateNote"] = "check 1001";
        var payment = await company.WriteAsync("payment", "Payment", body);
        var paid = await company.ReadAsync("Invoice", invoiceId);

        var voided = await company.WriteAsync("payment?operation=update&include=void", "Payment",
            new JsonObject { ["Id"] = Str(payment["Id"]), ["SyncToken"] = "0", ["sparse"] = true });
        var restored = await company.ReadAsync("Invoice", invoiceId);
        var books = await _host.GetJsonAsync($"/admin/qbo/companies/{company.RealmId}/books");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Dec(paid["Balance"]), Is.Zero);
            Assert.That(Str(paid["SyncToken"]), Is.EqualTo("1"));
            Assert.That(Dec(voided["TotalAmt"]), Is.Zero);
            Assert.That(Dec(voided["UnappliedAmt"]), Is.Zero);
            Assert.That(voided["Line"]!.AsArray(), Is.Empty);
            Assert.That(Str(voided["PrivateNote"]), Does.StartWith("Voided").And.Contain("check 1001"));
            Assert.That(Str(voided["SyncToken"]), Is.EqualTo("1"));
            Assert.That(Dec(restored["Balance"]), Is.EqualTo(100m));
            Assert.That(Str(restored["SyncToken"]), Is.EqualTo("2"));
            Assert.That(restored["LinkedTxn"]!.AsArray(), Is.Empty);
            Assert.That(books["payments"]![0]!["voided"]!.GetValue<bool>(), Is.True);
            Assert.That(books["invoices"]![0]!["balance"]!.GetValue<decimal>(), Is.EqualTo(100m));
        }
    }

    [Test]
    public async Task Deleting_a_payment_restores_the_invoice_and_the_payment_reads_as_610()
    {
        var company = await _host.NewCompanyAsync();
        var customer = await company.CreateCustomerAsync("Oops Payments Ltd");
        var invoice = await company.CreateInvoiceAsync(Str(customer["Id"]), 30m);
        var payment = await company.WriteAsync("payment", "Payment", QboTestClient.PaymentBody(Str(customer["Id"]), 30m, (Str(invoice["Id"]), 30m)));

        var deleted = await company.PostAsync("payment?operation=delete", new JsonObject { ["Id"] = Str(payment["Id"]), ["SyncToken"] = "0" });
        var read = await company.GetAsync("payment/" + Str(payment["Id"]));
        var restored = await company.ReadAsync("Invoice", Str(invoice["Id"]));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Str(deleted.Json["Payment"]!["status"]), Is.EqualTo("Deleted"));
            Assert.That(read.Code, Is.EqualTo("610"));
            Assert.That(Dec(restored["Balance"]), Is.EqualTo(30m));
        }
    }

    [Test]
    public async Task Updating_a_payment_moves_its_application_and_leaves_untouched_invoices_alone()
    {
        var company = await _host.NewCompanyAsync();
        var customer = Str((await company.CreateCustomerAsync("Second Thoughts Inc."))["Id"]);
        var first = Str((await company.CreateInvoiceAsync(customer, 100m))["Id"]);
        var second = Str((await company.CreateInvoiceAsync(customer, 100m))["Id"]);
        var payment = await company.WriteAsync("payment", "Payment", QboTestClient.PaymentBody(customer, 100m, (first, 40m), (second, 40m)));
        var paymentId = Str(payment["Id"]);

        var moved = await company.WriteAsync("payment?operation=update", "Payment", new JsonObject
        {
            ["Id"] = paymentId,
            ["SyncToken"] = "0",
            ["sparse"] = true,
            ["Line"] = QboTestClient.PaymentBody(customer, 0m, (first, 60m), (second, 40m))["Line"]!.DeepClone(),
        });
        var noteOnly = await company.WriteAsync("payment?operation=update", "Payment", new JsonObject
        {
            ["Id"] = paymentId, ["SyncToken"] = "1", ["sparse"] = true, ["PrivateNote"] = "re-applied",
        });
        var firstAfter = await company.ReadAsync("Invoice", first);
        var secondAfter = await company.ReadAsync("Invoice", second);
        var tooMuch = await company.PostAsync("payment?operation=update", new JsonObject
        {
            ["Id"] = paymentId,
            ["SyncToken"] = "2",
            ["sparse"] = true,
            ["Line"] = QboTestClient.PaymentBody(customer, 0m, (first, 100.01m))["Line"]!.DeepClone(),
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Dec(moved["UnappliedAmt"]), Is.Zero);
            Assert.That(Str(moved["SyncToken"]), Is.EqualTo("1"));
            Assert.That(Str(noteOnly["SyncToken"]), Is.EqualTo("2"));
            Assert.That(Dec(noteOnly["TotalAmt"]), Is.EqualTo(100m));
            Assert.That(noteOnly["Line"]!.AsArray(), Has.Count.EqualTo(2));
            Assert.That(Dec(firstAfter["Balance"]), Is.EqualTo(40m));
            Assert.That(Str(firstAfter["SyncToken"]), Is.EqualTo("2"), "applied, then re-applied");
            Assert.That(Dec(secondAfter["Balance"]), Is.EqualTo(60m));
            Assert.That(Str(secondAfter["SyncToken"]), Is.EqualTo("1"), "its application did not change");
            Assert.That(tooMuch.Code, Is.EqualTo("6000"));
        }
    }

    [Test]
    public async Task Voiding_an_invoice_with_a_payment_applied_leaves_the_payment_as_unapplied_credit()
    {
        var company = await _host.NewCompanyAsync();
        var customer = Str((await company.CreateCustomerAsync("Changed Minds LLC"))["Id"]);
        var invoice = Str((await company.CreateInvoiceAsync(customer, 100m))["Id"]);
        var payment = Str((await company.WriteAsync("payment", "Payment", QboTestClient.PaymentBody(customer, 100m, (invoice, 100m))))["Id"]);

        var voided = await company.WriteAsync("invoice?operation=void", "Invoice", new JsonObject { ["Id"] = invoice, ["SyncToken"] = "1" });
        var paymentAfter = await company.ReadAsync("Payment", payment);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Dec(voided["Balance"]), Is.Zero);
            Assert.That(voided["LinkedTxn"]!.AsArray(), Is.Empty);
            Assert.That(Dec(paymentAfter["TotalAmt"]), Is.EqualTo(100m));
            Assert.That(Dec(paymentAfter["UnappliedAmt"]), Is.EqualTo(100m));
            Assert.That(paymentAfter["Line"]!.AsArray(), Is.Empty);
            Assert.That(Str(paymentAfter["SyncToken"]), Is.EqualTo("1"));
        }
    }

    // ---------------------------------------------------------------- requestid

    [Test]
    public async Task A_repeated_requestid_replays_the_first_response_and_writes_nothing()
    {
        var company = await _host.NewCompanyAsync();
        var customer = await company.CreateCustomerAsync("Retry Happy Inc.");
        var invoice = await company.CreateInvoiceAsync(Str(customer["Id"]), 90m);
        var body = QboTestClient.PaymentBody(Str(customer["Id"]), 30m, (Str(invoice["Id"]), 30m));

        var first = await company.PostAsync("payment?requestid=rm-0001", body);
        var second = await company.PostAsync("payment?requestid=rm-0001", body);
        var differentBody = await company.PostAsync("payment?requestid=rm-0001", QboTestClient.PaymentBody(Str(customer["Id"]), 1m));
        var books = await _host.GetJsonAsync($"/admin/qbo/companies/{company.RealmId}/books");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Status, Is.EqualTo(HttpStatusCode.OK), first.ToString());
            Assert.That(second, Is.EqualTo(first), "same status and byte-identical body");
            Assert.That(differentBody, Is.EqualTo(first));
            Assert.That(books["payments"]!.AsArray(), Has.Count.EqualTo(1));
            Assert.That(books["invoices"]![0]!["balance"]!.GetValue<decimal>(), Is.EqualTo(60m));
        }
    }

    [Test]
    public async Task Ten_concurrent_requests_with_one_requestid_create_one_payment()
    {
        var company = await _host.NewCompanyAsync();
        var customer = await company.CreateCustomerAsync("Thundering Herd LLC");
        var invoice = await company.CreateInvoiceAsync(Str(customer["Id"]), 500m);
        var body = QboTestClient.PaymentBody(Str(customer["Id"]), 500m, (Str(invoice["Id"]), 500m));

        var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => company.PostAsync("payment?requestid=rm-herd", body)));
        var books = await _host.GetJsonAsync($"/admin/qbo/companies/{company.RealmId}/books");
        var after = await company.ReadAsync("Invoice", Str(invoice["Id"]));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(replies.Select(r => r.Status), Is.All.EqualTo(HttpStatusCode.OK), string.Join("\n", replies.Select(r => r.ToString())));
            Assert.That(replies.Select(r => r.Body).Distinct(), Has.Exactly(1).Items);
            Assert.That(books["payments"]!.AsArray(), Has.Count.EqualTo(1));
            Assert.That(Dec(after["Balance"]), Is.Zero);
            Assert.That(Str(after["SyncToken"]), Is.EqualTo("1"));
        }
    }

    // ---------------------------------------------------------------- concurrency

    [Test]
    public async Task Concurrent_sparse_updates_of_one_invoice_never_hand_out_a_SyncToken_twice()
    {
        const int clients = 10;
        const int updatesPerClient = 3;
        var company = await _host.NewCompanyAsync();
        var customer = await company.CreateCustomerAsync("Contention Corp");
        var invoice = await company.CreateInvoiceAsync(Str(customer["Id"]), 100m);
        var invoiceId = Str(invoice["Id"]);

        async Task<(List<string> Tokens, int Stale, List<string> Unexpected)> ClientAsync(int client)
        {
            var tokens = new List<string>();
            var unexpected = new List<string>();
            var stale = 0;
            for (var attempt = 0; tokens.Count < updatesPerClient && attempt < 200; attempt++)
            {
                var current = await company.ReadAsync("Invoice", invoiceId);
                var reply = await company.PostAsync("invoice?operation=update", new JsonObject
                {
                    ["Id"] = invoiceId,
                    ["SyncToken"] = Str(current["SyncToken"]),
                    ["sparse"] = true,
                    ["PrivateNote"] = $"client {client} update {tokens.Count}",
                });
                if (reply.Status == HttpStatusCode.OK)
                {
                    tokens.Add(Str(reply.Json["Invoice"]!["SyncToken"]));
                }
                else if (reply.Status == HttpStatusCode.BadRequest && reply.Code == "5010")
                {
                    stale++;
                }
                else
                {
                    unexpected.Add(reply.ToString());
                }
            }

            return (tokens, stale, unexpected);
        }

        var results = await Task.WhenAll(Enumerable.Range(0, clients).Select(ClientAsync));
        var successes = results.SelectMany(r => r.Tokens).ToList();
        var final = await company.ReadAsync("Invoice", invoiceId);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(results.SelectMany(r => r.Unexpected), Is.Empty);
            Assert.That(successes, Has.Count.EqualTo(clients * updatesPerClient));
            Assert.That(successes, Is.Unique, "no SyncToken is returned twice");
            Assert.That(int.Parse(Str(final["SyncToken"]), CultureInfo.InvariantCulture), Is.EqualTo(successes.Count));
            Assert.That(Dec(final["Balance"]), Is.EqualTo(100m));
        }
    }

    // ---------------------------------------------------------------- bad input

    [TestCase("payment", "{\"TotalAmt\": ", "2010", TestName = "Malformed JSON")]
    [TestCase("payment", "[1, 2]", "2010", TestName = "A JSON array instead of an object")]
    [TestCase("payment", "", "2010", TestName = "An empty body")]
    [TestCase("payment", "{\"TotalAmt\": \"abc\", \"CustomerRef\": {\"value\": \"1\"}}", "2010", TestName = "A string where an amount belongs")]
    [TestCase("payment", "{\"TotalAmt\": 10, \"CustomerRef\": \"1\"}", "2010", TestName = "A string where a reference belongs")]
    [TestCase("payment", "{\"totalAmt\": 10, \"CustomerRef\": {\"value\": \"1\"}}", "2010", TestName = "A property in the wrong case")]
    [TestCase("invoice", "{\"Line\": {}, \"CustomerRef\": {\"value\": \"1\"}}", "2010", TestName = "An object where an array belongs")]
    [TestCase("invoice", "{\"TxnDate\": \"tomorrow\"}", "2010", TestName = "A date that is not a date")]
    [TestCase("invoice", "{\"DocNumber\": \"1234567890123456789012\"}", "2050", TestName = "A DocNumber longer than 21 characters")]
    [TestCase("widget", "{}", "500", TestName = "An entity the API does not have")]
    [TestCase("invoice?operation=explode", "{}", "500", TestName = "An operation the API does not have")]
    [TestCase("customer?operation=delete", "{\"Id\": \"1\", \"SyncToken\": \"0\"}", "500", TestName = "Deleting a customer")]
    public async Task Bad_input_gets_a_400_Fault_never_a_500(string path, string body, string code)
    {
        var company = await _host.NewCompanyAsync();

        var reply = await company.PostRawAsync(path, body);

        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.BadRequest), reply.ToString());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(reply.Code, Is.EqualTo(code), reply.ToString());
            Assert.That(Str(reply.Json["Fault"]!["type"]), Is.EqualTo("ValidationFault"));
            Assert.That(reply.FaultError["Message"]!.GetValue<string>(), Is.Not.Empty);
            Assert.That(reply.Body, Does.Not.Contain("   at ").And.Not.Contain("Exception"), "no stack traces");
        }
    }

    [Test]
    public async Task Reading_an_unknown_path_or_id_gets_a_400_Fault()
    {
        var company = await _host.NewCompanyAsync();

        var unknownId = await company.GetAsync("invoice/424242");
        var unknownPath = await company.GetAsync("invoice/1/pdf/extra");
        var unknownEntity = await company.GetAsync("widget/1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(unknownId.Status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(unknownId.Code, Is.EqualTo("610"));
            Assert.That(unknownPath.Status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(unknownPath.Json["Fault"], Is.Not.Null);
            Assert.That(unknownEntity.Status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(unknownEntity.Json["Fault"], Is.Not.Null);
        }
    }

    // ---------------------------------------------------------------- throttling

    [Test]
    public async Task Requests_beyond_the_per_minute_limit_get_429_with_the_throttle_fault()
    {
        await using var host = await QuickBooksSandboxHost.StartAsync(new Dictionary<string, string?>
        {
            ["Sandbox:QuickBooks:RealmId"] = "4620816365000000",
            ["Sandbox:QuickBooks:AccessToken"] = "throttle-token",
            ["Sandbox:QuickBooks:RequestsPerMinute"] = "3",
        });
        var company = new QboTestClient(host.Http, "4620816365000000", "throttle-token");

        var allowed = new List<QboReply>();
        for (var i = 0; i < 3; i++)
        {
            allowed.Add(await company.GetAsync("account/4"));
        }

        var throttled = await company.GetAsync("account/4");
        var books = await host.GetJsonAsync("/admin/qbo/companies/4620816365000000/books");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(allowed.Select(r => r.Status), Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(throttled.Status, Is.EqualTo(HttpStatusCode.TooManyRequests), throttled.ToString());
            Assert.That(throttled.Code, Is.EqualTo("3001"));
            Assert.That(Str(throttled.FaultError["Message"]), Is.EqualTo("message=ThrottleExceeded; errorCode=003001; statusCode=429"));
            Assert.That(Str(throttled.FaultError["Detail"]), Is.EqualTo("The request limit was reached."));
            Assert.That(Str(throttled.Json["Fault"]!["type"]), Is.EqualTo("SERVICE"));
            Assert.That(books["throttledCount"]!.GetValue<long>(), Is.EqualTo(1));
            Assert.That(books["requestCount"]!.GetValue<long>(), Is.EqualTo(4));
        }
    }

    // ---------------------------------------------------------------- admin API

    [Test]
    public async Task The_admin_API_creates_companies_and_refuses_duplicates_and_unknown_realms()
    {
        using var created = await _host.PostJsonAsync("/admin/qbo/companies", new JsonObject { ["realmId"] = "5550001", ["accessToken"] = "t-5550001" });
        using var again = await _host.PostJsonAsync("/admin/qbo/companies", new JsonObject { ["realmId"] = "5550001", ["accessToken"] = "other" });
        using var unknown = await _host.Http.GetAsync(new Uri("/admin/qbo/companies/0000/books", UriKind.Relative));
        var books = await _host.GetJsonAsync("/admin/qbo/companies/5550001/books");
        var company = new QboTestClient(_host.Http, "5550001", "t-5550001");
        var withOwnToken = await company.GetAsync("account/4");
        var withOtherToken = await company.GetAsync("account/4", token: DefaultToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(books["invoices"]!.AsArray(), Is.Empty);
            Assert.That(withOwnToken.Status, Is.EqualTo(HttpStatusCode.OK), "new companies get the default accounts");
            Assert.That(withOtherToken.Status, Is.EqualTo(HttpStatusCode.Unauthorized));
        }
    }

    [Test]
    public async Task Seeding_is_deterministic_for_a_seed_and_books_report_what_was_created()
    {
        var first = await _host.NewCompanyAsync();
        var second = await _host.NewCompanyAsync();
        var seed = new JsonObject { ["customers"] = 8, ["invoices"] = 20, ["currency"] = "USD", ["seed"] = 42 };

        var firstSeed = await SeedAsync(first, seed);
        var secondSeed = await SeedAsync(second, seed);
        var firstCustomers = await first.QueryAsync("select * from Customer orderby Id");
        var secondCustomers = await second.QueryAsync("select * from Customer orderby Id");
        var firstInvoices = await first.QueryAsync("select * from Invoice orderby Id");
        var secondInvoices = await second.QueryAsync("select * from Invoice orderby Id");
        var books = await _host.GetJsonAsync($"/admin/qbo/companies/{first.RealmId}/books");

        string[] Names(QboReply r) => [.. r.Json["QueryResponse"]!["Customer"]!.AsArray().Select(c => Str(c!["DisplayName"]))];
        string[] Emails(QboReply r) => [.. r.Json["QueryResponse"]!["Customer"]!.AsArray().Select(c => Str(c!["PrimaryEmailAddr"]!["Address"]))];
        string[] Totals(QboReply r) => [.. r.Json["QueryResponse"]!["Invoice"]!.AsArray().Select(i => $"{Str(i!["CustomerRef"]!["name"])}={Dec(i["TotalAmt"])}")];
        var invoices = firstInvoices.Json["QueryResponse"]!["Invoice"]!.AsArray();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(firstSeed["customers"]!.AsArray(), Has.Count.EqualTo(8));
            Assert.That(firstSeed["invoices"]!.AsArray(), Has.Count.EqualTo(20));
            Assert.That(Names(firstCustomers), Is.Unique);
            Assert.That(Names(firstCustomers), Is.EqualTo(Names(secondCustomers)));
            Assert.That(Emails(firstCustomers), Is.All.Match(@"^[a-z]+\.[a-z]+@[a-z0-9]+\.example\.com$"));
            Assert.That(Totals(firstInvoices), Is.EqualTo(Totals(secondInvoices)));
            Assert.That(invoices.Select(i => i!["Line"]!.AsArray().Count - 1), Is.All.InRange(1, 5));
            Assert.That(invoices.Select(i => Dec(i!["Balance"])), Is.All.GreaterThan(0m));
            Assert.That(invoices.Select(i => Dec(i!["TotalAmt"]) * 100 % 1), Is.All.EqualTo(0m), "exact cents");
            Assert.That(invoices.Select(i => Str(i!["CustomerRef"]!["value"])).Distinct().Count(), Is.EqualTo(8), "spread across the customers");
            Assert.That(books["invoices"]!.AsArray(), Has.Count.EqualTo(20));
            Assert.That(books["invoices"]![0]!.AsObject().Select(p => p.Key),
                Is.EquivalentTo(BookInvoiceKeys));
            Assert.That(books["payments"]!.AsArray(), Is.Empty);
            Assert.That(books["requestCount"]!.GetValue<long>(), Is.EqualTo(2), "the two queries above");
            Assert.That(books["throttledCount"]!.GetValue<long>(), Is.Zero);
        }
    }

    [Test]
    public async Task Books_report_payments_with_their_lines()
    {
        var company = await _host.NewCompanyAsync();
        var customer = await company.CreateCustomerAsync("Ledger Lovers");
        var invoice = await company.CreateInvoiceAsync(Str(customer["Id"]), 70m);
        var body = QboTestClient.PaymentBody(Str(customer["Id"]), 80m, (Str(invoice["Id"]), 70m));
        body["PaymentRefNum"] = "REF-1";
        body["PrivateNote"] = "note";
        var payment = await company.WriteAsync("payment", "Payment", body);

        var books = await _host.GetJsonAsync($"/admin/qbo/companies/{company.RealmId}/books");

        var expected = JsonNode.Parse($$"""
            [{"id":"{{Str(payment["Id"])}}","customerId":"{{Str(customer["Id"])}}","totalAmt":80,"unappliedAmt":10,"voided":false,"deleted":false,
              "privateNote":"note","paymentRefNum":"REF-1","lines":[{"invoiceId":"{{Str(invoice["Id"])}}","amount":70}],"depositId":null}]
            """);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(JsonNode.DeepEquals(books["payments"], expected), Is.True, books["payments"]!.ToJsonString());
            Assert.That(books["invoices"]![0]!["linkedPaymentIds"]!.AsArray().Select(Str), Is.EqualTo(new[] { Str(payment["Id"]) }));
        }
    }

    private async Task<JsonNode> SeedAsync(QboTestClient company, JsonObject seed)
    {
        using var response = await _host.PostJsonAsync($"/admin/qbo/companies/{company.RealmId}/seed", seed);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return JsonNode.Parse(text)!;
    }

    private static string Str(JsonNode? node) => node?.GetValue<string>() ?? throw new AssertionException("missing string value");

    private static decimal Dec(JsonNode? node) => node?.GetValue<decimal>() ?? throw new AssertionException("missing number value");

}
