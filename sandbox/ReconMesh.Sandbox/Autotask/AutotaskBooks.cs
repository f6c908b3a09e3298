using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.Autotask;

/// <summary>
/// What <c>GET /admin/autotask/databases/{id}/books</c> reports: the limits, the hour's use and the counts of
/// admitted, delayed, blocked and thread-limited calls (by integration code too), and every invoice with what the API
/// lets an integration change (paidDate, webServiceDate, invoiceNumber) beside what it cannot (total, voided).
/// </summary>
internal static class AutotaskBooks
{
    public static JsonObject Of(AutotaskDatabase database, IReadOnlyList<AutotaskApiUser> users)
    {
        var throttle = database.Throttle;
        lock (database.Gate)
        {
            var invoices = database.Records(AutotaskEntity.Invoices).Select(i => (JsonNode)new JsonObject
            {
                ["id"] = i.Id,
                ["invoiceNumber"] = i.Text("invoiceNumber"),
                ["companyID"] = i.Long("companyID"),
                ["invoiceTotal"] = i.Decimal("invoiceTotal"),
                ["invoiceDateTime"] = AutotaskWire.Value(i.Date("invoiceDateTime")),
                ["dueDate"] = AutotaskWire.Value(i.Date("dueDate")),
                ["isVoided"] = i.Bool("isVoided"),
                ["voidedDate"] = AutotaskWire.Value(i.Date("voidedDate")),
                ["paidDate"] = AutotaskWire.Value(i.Date("paidDate")),
                ["webServiceDate"] = AutotaskWire.Value(i.Date("webServiceDate")),
            });
            var byCode = new JsonObject();
            foreach (var (code, count) in database.RequestsByIntegrationCode.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                byCode[code] = count;
            }

            return new JsonObject
            {
                ["databaseId"] = database.Id,
                ["ci"] = database.Ci,
                ["users"] = new JsonArray([.. users.Select(u => (JsonNode)new JsonObject { ["userName"] = u.UserName, ["integrationCode"] = u.IntegrationCode })]),
                ["limits"] = new JsonObject
                {
                    ["requestsPerHour"] = throttle.PerHour,
                    ["threadsPerEndpoint"] = throttle.ThreadsPerEndpoint,
                    ["halfUseLatencyMs"] = throttle.HalfUseLatencyMs,
                    ["threeQuarterUseLatencyMs"] = throttle.ThreeQuarterUseLatencyMs,
                },
                ["usedThisHour"] = throttle.Used(),
                ["requests"] = database.Requests,
                ["delayed"] = database.Delayed,
                ["thresholdBlocked"] = database.ThresholdBlocked,
                ["threadLimited"] = database.ThreadLimited,
                ["requestsByIntegrationCode"] = byCode,
                ["companies"] = database.Count(AutotaskEntity.Companies),
                ["contacts"] = database.Count(AutotaskEntity.Contacts),
                ["invoices"] = new JsonArray([.. invoices]),
            };
        }
    }
}
