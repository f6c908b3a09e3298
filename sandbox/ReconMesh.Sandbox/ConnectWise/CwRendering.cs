using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>
/// The last JSON rendering of one entity, for one API base URL (hrefs carry it) and one set of revisions of what it
/// shows (its own and those of the entities it names). Renderings are never changed once made: callers clone or
/// serialise them, so one can be handed to several requests and outlive the lock it was made under.
/// </summary>
internal sealed class CwRendering
{
    private (string BaseUrl, long Own, long First, long Second, JsonObject Json)? _last;

    public JsonObject Get(string baseUrl, long own, long first, long second, Func<JsonObject> render)
    {
        if (_last is { } last && last.Own == own && last.First == first && last.Second == second
            && string.Equals(last.BaseUrl, baseUrl, StringComparison.Ordinal))
        {
            return last.Json;
        }

        var json = render();
        _last = (baseUrl, own, first, second, json);
        return json;
    }
}
