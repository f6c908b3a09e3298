namespace ReconMesh.InvoiceIngest.Sync;

/// <summary>
/// The next page of a sync pass, asked of the integration while <see cref="InvoiceSync"/> decides and saves the page
/// before it, so the integration's answer and the store's transaction overlap instead of taking turns. It is taken
/// only for the position and kind of read the saved cursor then names; anything else (a cursor another replica moved)
/// is dropped and read again. What is left when the pass ends is cancelled and its outcome observed, never thrown.
/// </summary>
public sealed class ReadAhead(CancellationToken passToken) : IAsyncDisposable
{
    private readonly CancellationTokenSource _cancel = CancellationTokenSource.CreateLinkedTokenSource(passToken);
    private (int Position, bool Initial, Task<InvoicePage> Page)? _next;

    /// <summary>Starts reading the page at <paramref name="position"/>, unless a read is already ahead.</summary>
    public void Start(int position, bool initial, Func<CancellationToken, Task<InvoicePage>> read) =>
        _next ??= (position, initial, read(_cancel.Token));

    /// <summary>The page read ahead for <paramref name="position"/>, or null when none was (then the caller reads it).</summary>
    public async Task<InvoicePage?> TakeAsync(int position, bool initial)
    {
        if (_next is not { } next)
        {
            return null;
        }

        _next = null;
        if (next.Position == position && next.Initial == initial)
        {
            return await next.Page;
        }

        await ObserveAsync(next.Page);
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_next is { } next)
        {
            _next = null;
            await _cancel.CancelAsync();
            await ObserveAsync(next.Page);
        }

        _cancel.Dispose();
    }

    /// <summary>Waits for a read nobody will use, and marks its failure (if any) as seen.</summary>
    private static async Task ObserveAsync(Task<InvoicePage> read)
    {
        await Task.WhenAny(read);
        _ = read.Exception;
    }
}
