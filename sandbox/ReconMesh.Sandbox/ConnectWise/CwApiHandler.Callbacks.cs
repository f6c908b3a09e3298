using Microsoft.AspNetCore.Http;

namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>Callback subscriptions: create, list, read, delete.</summary>
internal sealed partial class CwApiHandler
{
    private static async Task<CwHttpResponse> CallbacksAsync(HttpContext context, CwSite site, CwActor actor, string[] rest)
    {
        var request = context.Request;
        var method = request.Method;
        if (rest.Length == 0 && HttpMethods.IsPost(method))
        {
            var body = await ReadJsonAsync(context);
            lock (site.Gate)
            {
                return Created(CwSite.CallbackJson(site.AddCallback(body, actor)));
            }
        }

        if (rest.Length == 1 && HttpMethods.IsDelete(method) && !Is(rest, 0, "count"))
        {
            var id = ParseId(rest[0], "Callback");
            lock (site.Gate)
            {
                if (!site.Callbacks.Remove(id))
                {
                    throw CwErrors.NotFound($"Callback ID {id} not found");
                }

                return NoContent();
            }
        }

        RequireGet(method, request.Path);
        return Collection(request, site, CwFieldMap.Callback, rest, "Callback", () => [.. site.Callbacks.Values.Select(CwSite.CallbackJson)]);
    }
}
