using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>The read-only collections: lists, counts and single records.</summary>
internal sealed partial class CwApiHandler
{
    /// <summary>
    /// A read-only collection of the site's own records: the list (<c>[]</c>), <c>count</c>, or one record by id. Only the
    /// records the query can admit by id and lastUpdated are rendered (renderings are cached), under the site's lock;
    /// the conditions, order and paging then run on those outside it.
    /// </summary>
    private static CwHttpResponse Collection<T>(HttpRequest request, CwSite site, CwFieldMap map, string[] rest, string name,
        IEnumerable<T> records, Func<T, int> id, Func<T, DateTimeOffset> lastUpdated, Func<T, int?> companyId, Func<T, JsonObject> render)
    {
        if (rest.Length == 0 || (rest.Length == 1 && Is(rest, 0, "count")))
        {
            var query = rest.Length == 0 ? CwListQuery.ForList(request, map) : CwListQuery.ForCount(request, map);
            List<JsonObject> snapshot;
            lock (site.Gate)
            {
                var admitted = records.Where(r => query.Admits(id(r), lastUpdated(r), companyId(r)));
                snapshot = [.. (query.ForwardOnly ? admitted.OrderBy(id) : admitted).Select(render)];
            }

            if (rest.Length == 1)
            {
                return Ok(new JsonObject { ["count"] = query.Count(snapshot) });
            }

            var page = query.Run(snapshot, request, admittedInIdOrder: query.ForwardOnly);
            return new CwHttpResponse(StatusCodes.Status200OK, null, page.Headers) { Rows = page.Rows };
        }

        if (rest.Length == 1)
        {
            var wanted = ParseId(rest[0], name);
            lock (site.Gate)
            {
                return Ok(records.Where(r => id(r) == wanted).Select(render).FirstOrDefault() ?? throw CwErrors.NotFound($"{name} ID {wanted} not found"));
            }
        }

        throw CwErrors.NotFound($"No resource was found at {request.Path}.");
    }

    /// <summary>A read-only collection: the list (<c>[]</c>), <c>count</c>, or one record by id.</summary>
    private static CwHttpResponse Collection(HttpRequest request, CwSite site, CwFieldMap map, string[] rest, string name, Func<List<JsonObject>> rows)
    {
        if (rest.Length == 0)
        {
            var query = CwListQuery.ForList(request, map);
            List<JsonObject> snapshot;
            lock (site.Gate)
            {
                snapshot = rows();
            }

            var page = query.Run(snapshot, request);
            return new CwHttpResponse(StatusCodes.Status200OK, null, page.Headers) { Rows = page.Rows };
        }

        if (rest.Length == 1 && Is(rest, 0, "count"))
        {
            var query = CwListQuery.ForCount(request, map);
            List<JsonObject> snapshot;
            lock (site.Gate)
            {
                snapshot = rows();
            }

            return Ok(new JsonObject { ["count"] = query.Count(snapshot) });
        }

        if (rest.Length == 1)
        {
            var id = ParseId(rest[0], name);
            List<JsonObject> snapshot;
            lock (site.Gate)
            {
                snapshot = rows();
            }

            return Ok(snapshot.FirstOrDefault(r => CwListQuery.Id(r) == id) ?? throw CwErrors.NotFound($"{name} ID {id} not found"));
        }

        throw CwErrors.NotFound($"No resource was found at {request.Path}.");
    }
}
