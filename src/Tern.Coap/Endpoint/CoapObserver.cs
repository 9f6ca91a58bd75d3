using Tern.Coap.Engine;
using Tern.Coap.Messages;
using Tern.Coap.Transport;

namespace Tern.Coap.Endpoint;

/// <summary>Server side: a client observing a resource. Send it notifications with <see cref="NotifyAsync"/>.</summary>
public sealed class CoapObserver
{
    private readonly CoapEndpoint _endpoint;
    private readonly TaskCompletionSource<CoapObserverRemovalReason> _removed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal CoapObserver(CoapEndpoint endpoint, long id, CoapPeer peer, CoapMessage registration)
    {
        _endpoint = endpoint;
        Id = id;
        Peer = peer;
        Registration = registration;
    }

    /// <summary>The engine's id of this observer.</summary>
    public long Id { get; }

    /// <summary>The observing client.</summary>
    public CoapPeer Peer { get; }

    /// <summary>The registration request (its Uri-Path and queries name the resource).</summary>
    public CoapMessage Registration { get; }

    /// <summary>True until the client deregisters, rejects a notification, or stops acknowledging.</summary>
    public bool IsActive => !_removed.Task.IsCompleted;

    /// <summary>Completes with the reason when the observer is removed.</summary>
    public Task<CoapObserverRemovalReason> Removed => _removed.Task;

    /// <summary>
    /// Sends a notification with the next sequence number. NON unless <paramref name="confirmable"/> (or unless no
    /// confirmable one went out for 24 hours). Completes when sent (NON) or acknowledged (CON); throws
    /// <see cref="CoapException"/> when the observer is gone, reset or timed out. An error code ends the observation.
    /// </summary>
    public Task NotifyAsync(CoapResponse notification, bool confirmable = false, CancellationToken cancellationToken = default) =>
        _endpoint.NotifyAsync(Id, notification, confirmable, cancellationToken);

    /// <summary>Forgets this observer without telling the client.</summary>
    public void Remove() => _endpoint.RemoveObserver(Id);

    internal void MarkRemoved(CoapObserverRemovalReason reason) => _removed.TrySetResult(reason);
}
