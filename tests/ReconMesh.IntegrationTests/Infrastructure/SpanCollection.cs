using System.Collections;
using System.Diagnostics;

namespace ReconMesh.IntegrationTests.Infrastructure;

/// <summary>Spans exported while a test reads them: a collection safe for one writer thread and one reader.</summary>
public sealed class SpanCollection : ICollection<Activity>
{
    private readonly List<Activity> _spans = [];
    private readonly Lock _gate = new();

    public int Count
    {
        get { lock (_gate) { return _spans.Count; } }
    }

    public bool IsReadOnly => false;

    public void Add(Activity item)
    {
        lock (_gate) { _spans.Add(item); }
    }

    public void Clear()
    {
        lock (_gate) { _spans.Clear(); }
    }

    public bool Contains(Activity item)
    {
        lock (_gate) { return _spans.Contains(item); }
    }

    public void CopyTo(Activity[] array, int arrayIndex)
    {
        lock (_gate) { _spans.CopyTo(array, arrayIndex); }
    }

    public bool Remove(Activity item)
    {
        lock (_gate) { return _spans.Remove(item); }
    }

    public IEnumerator<Activity> GetEnumerator()
    {
        List<Activity> copy;
        lock (_gate) { copy = [.. _spans]; }
        return copy.GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
