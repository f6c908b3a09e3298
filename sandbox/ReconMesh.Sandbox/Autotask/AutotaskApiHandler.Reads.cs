using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ReconMesh.Sandbox.Autotask;

/// <summary>
/// Reads: the zone look-up, queries (<c>{"items":[…],"pageDetails":{count, requestCount, prevPageUrl, nextPageUrl}}</c>
/// in id order, a page at most MaxRecords long, the next and previous pages as <c>query/next?paging=</c> URLs whose
/// paging names the page size, the ids earlier pages started after and the id this one starts after, as Autotask's do:
/// <c>{"pageSize":500,"previousIds":[-1],"nextIds":[725]}</c>; a GET query's URLs also carry the search, a POSTed
/// query's are POSTed again with its body), counts (<c>{"queryCount":n}</c>), one entity by id (<c>{"item":{…}}</c>; 404 with
/// <c>{"item":null}</c> when there is none), the threshold and usage, and the fields' information.
/// </summary>
internal sealed partial class AutotaskApiHandler
{
    private const int MaxPagesBack = 10_000;

    /// <summary>What a first page starts after, as Autotask writes it in <c>previousIds</c>.</summary>
    private const long FirstPage = -1;

    /// <summary>
    /// <c>GET zoneInformation?user=</c>: where the user's database lives. The url is the sandbox's own
    /// <c>…/ATServicesRest/</c>, as the real answer is the zone's (clients append <c>V1.0/…</c> to it).
    /// </summary>
    private AutotaskHttpResponse ZoneInformation(HttpRequest request)
    {
        if (simulator.User(request.Query["user"].ToString()) is not { } user || simulator.Find(user.DatabaseId) is not { } database)
        {
            return AutotaskErrors.ZoneUnknown();
        }

        var host = $"{request.Scheme}://{request.Host}{request.PathBase}";
        return AutotaskHttpResponse.Ok(new JsonObject
        {
            ["zoneName"] = simulator.ZoneName,
            ["url"] = host + "/ATServicesRest/",
            ["webUrl"] = host + "/",
            ["ci"] = database.Ci,
        });
    }

    private static AutotaskHttpResponse Query(AutotaskDatabase database, HttpRequest request, AutotaskEntity entity, string search, string? pagingText)
    {
        var query = AutotaskQuery.Parse(entity, search);
        var (pageSize, previous, after) = pagingText is null ? (query.MaxRecords, new List<long>(), FirstPage) : Paging(pagingText);
        var items = new JsonArray();
        var lastId = after;
        var more = false;
        lock (database.Gate)
        {
            foreach (var record in database.Records(entity))
            {
                if (record.Id <= after || !query.Filter.Matches(record))
                {
                    continue;
                }

                if (items.Count == pageSize)
                {
                    more = true;
                    break;
                }

                items.Add(AutotaskWire.Render(record, query.IncludeFields));
                lastId = record.Id;
            }
        }

        var baseUrl = $"{request.Scheme}://{request.Host}{request.PathBase}/ATServicesRest/{Version}/{entity.Name}/query/";
        // A GET query's page URLs carry the search; a POSTed query's are POSTed again with the same body (a GET of them is a 405).
        var searchParameter = HttpMethods.IsGet(request.Method) ? "&search=" + Uri.EscapeDataString(search) : "";
        string PageUrl(IEnumerable<long> before, long start) => baseUrl + "next?paging=" + Uri.EscapeDataString(new JsonObject
        {
            ["pageSize"] = pageSize,
            ["previousIds"] = new JsonArray([.. before.Select(id => (JsonNode)id)]),
            ["nextIds"] = new JsonArray(start),
        }.ToJsonString()) + searchParameter;

        return AutotaskHttpResponse.Ok(new JsonObject
        {
            ["items"] = items,
            ["pageDetails"] = new JsonObject
            {
                ["count"] = items.Count,
                ["requestCount"] = pageSize,
                ["prevPageUrl"] = previous.Count == 0 ? null : PageUrl(previous[..^1], previous[^1]),
                ["nextPageUrl"] = more && previous.Count < MaxPagesBack ? PageUrl([.. previous, after], lastId) : null,
            },
        });
    }

    /// <summary>The <c>paging</c> parameter of a next or previous page URL: the page size, the ids earlier pages started after, and the id this page starts after.</summary>
    private static (int PageSize, List<long> Previous, long After) Paging(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 4 });
            var root = document.RootElement;
            var size = root.GetProperty("pageSize").GetInt32();
            var previous = root.GetProperty("previousIds").EnumerateArray().Select(e => e.GetInt64()).ToList();
            var next = root.GetProperty("nextIds").EnumerateArray().Select(e => e.GetInt64()).ToList();
            if (size is >= 1 and <= AutotaskQuery.PageMax && next.Count == 1 && previous.Count <= MaxPagesBack)
            {
                return (size, previous, next[0]);
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
        }

        throw AutotaskErrors.Error(AutotaskMessages.BadPaging);
    }

    private static AutotaskHttpResponse Count(AutotaskDatabase database, AutotaskEntity entity, string search)
    {
        var query = AutotaskQuery.Parse(entity, search);
        lock (database.Gate)
        {
            return AutotaskHttpResponse.Ok(new JsonObject { ["queryCount"] = database.Records(entity).Count(query.Filter.Matches) });
        }
    }

    private static AutotaskHttpResponse Get(AutotaskDatabase database, AutotaskEntity entity, long id)
    {
        lock (database.Gate)
        {
            return database.Find(entity, id) is { } record
                ? AutotaskHttpResponse.Ok(new JsonObject { ["item"] = AutotaskWire.Render(record) })
                : AutotaskHttpResponse.Of(StatusCodes.Status404NotFound, new JsonObject { ["item"] = null });
        }
    }

    /// <summary><c>GET ThresholdInformation</c>: the database's threshold, its timeframe in minutes, and the calls counted in it.</summary>
    private static AutotaskHttpResponse ThresholdInformation(AutotaskDatabase database) => AutotaskHttpResponse.Ok(new JsonObject
    {
        ["externalRequestThreshold"] = database.Throttle.PerHour,
        ["requestThresholdTimeframe"] = 60,
        ["currentTimeframeRequestCount"] = database.Throttle.Used(),
    });

    /// <summary><c>GET {Entity}/entityInformation/fields</c>: each field's name, type and whether it is read-only and queryable.</summary>
    private static AutotaskHttpResponse FieldsInformation(AutotaskEntity entity) => AutotaskHttpResponse.Ok(new JsonObject
    {
        ["fields"] = new JsonArray([.. entity.Fields.Select(f => (JsonNode)new JsonObject
        {
            ["name"] = f.Name,
            ["dataType"] = f.Kind switch
            {
                AutotaskFieldKind.Integer => "integer",
                AutotaskFieldKind.Long => "long",
                AutotaskFieldKind.Decimal => "decimal",
                AutotaskFieldKind.Boolean => "boolean",
                AutotaskFieldKind.DateTime => "datetime",
                _ => "string",
            },
            ["length"] = f.Kind == AutotaskFieldKind.String ? AutotaskDatabase.MaxTextLength : 0,
            ["isRequired"] = f.Name == "id",
            ["isReadOnly"] = entity == AutotaskEntity.Invoices ? !f.Updatable : f.Name == "id",
            ["isQueryable"] = f.Queryable,
            ["isReference"] = f.Name.EndsWith("ID", StringComparison.Ordinal) && f.Name != "id",
            ["isPickList"] = false,
        })]),
    });
}
