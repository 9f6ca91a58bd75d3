using Tern.Coap.Messages;

namespace Tern.Coap.Endpoint;

/// <summary>
/// A caller of the endpoint waiting for one exchange's outcome. Once the endpoint has settled the outcome, the exchange
/// counts as the endpoint's work until the caller has resumed: the caller's continuation runs on the thread pool, and
/// until it has run, <see cref="CoapEndpoint.IsIdle"/> must not say the endpoint has nothing left to do (a virtual
/// network would otherwise move the clock past a response still on its way to the code that asked for it).
/// </summary>
internal sealed class PendingExchange
{
    private readonly TaskCompletionSource<CoapMessage?> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _countedAsWork;

    public Task<CoapMessage?> Task => _completion.Task;

    /// <summary>Settles the outcome; false when it was already settled.</summary>
    /// <param name="work">The endpoint's work counter, raised for as long as the caller has not resumed.</param>
    /// <param name="response">The response, or null for an exchange done without one.</param>
    /// <param name="error">The failure to throw at the caller instead, if any.</param>
    public bool TrySettle(ref int work, CoapMessage? response, Exception? error = null)
    {
        Interlocked.Increment(ref work);
        Volatile.Write(ref _countedAsWork, 1);
        bool settled = error is null ? _completion.TrySetResult(response) : _completion.TrySetException(error);
        if (!settled && Interlocked.Exchange(ref _countedAsWork, 0) == 1)
        {
            Interlocked.Decrement(ref work);
        }

        return settled;
    }

    /// <summary>The caller's side of <see cref="TrySettle"/>: called once the task the caller awaits has completed.</summary>
    public void Resumed(ref int work)
    {
        if (Interlocked.Exchange(ref _countedAsWork, 0) == 1)
        {
            Interlocked.Decrement(ref work);
        }
    }

    /// <summary>The caller gave up waiting; not the endpoint's work.</summary>
    public bool TryCancel(CancellationToken cancellationToken) => _completion.TrySetCanceled(cancellationToken);
}
