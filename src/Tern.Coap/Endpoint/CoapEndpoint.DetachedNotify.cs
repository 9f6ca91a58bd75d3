using Tern.Coap.Messages;
using Tern.Coap.Transport;

namespace Tern.Coap.Endpoint;

public sealed partial class CoapEndpoint
{
    internal void KeepObserveOption(long requestId) => Invoke((engine, now) =>
    {
        engine.KeepObserveOption(requestId, now);
        return 0;
    });

    /// <summary>
    /// Sends a notification (a response with the observation's token and Observe option) to <paramref name="peer"/>
    /// for an observation the application tracks itself, outside this endpoint's observer registry. A confirmable
    /// notification completes when acknowledged; an RST fails it with <see cref="CoapException"/> of kind
    /// <see cref="Engine.CoapErrorKind.Reset"/> (the client cancelled the observation), no ACK with
    /// <see cref="Engine.CoapErrorKind.Timeout"/>. A non-confirmable one completes once sent.
    /// </summary>
    /// <param name="peer">The observing client.</param>
    /// <param name="notification">The notification; its token and Observe option are sent as given.</param>
    /// <param name="confirmable">True for CON.</param>
    /// <param name="cancellationToken">Stops waiting (the message may still be retransmitted).</param>
    public Task SendNotificationAsync(CoapPeer peer, CoapMessage notification, bool confirmable, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        cancellationToken.ThrowIfCancellationRequested();

        // A non-confirmable notification is done once the engine has emitted it: nothing to wait for, nothing
        // allocated for waiting (this runs for every LwM2M notification).
        PendingExchange? completion = confirmable ? new() : null;
        lock (_gate)
        {
            ThrowIfDisposed();
            DateTimeOffset now = _time.GetUtcNow();
            long id = _engine.SendNotification(peer, notification, confirmable, now);
            if (completion is not null)
            {
                _pending[id] = completion;
            }

            Pump(now);
        }

        return completion is null ? Task.CompletedTask : ReleasedWhenDone(AwaitNotificationAsync(completion, cancellationToken), completion);
    }

    private static async Task AwaitNotificationAsync(PendingExchange completion, CancellationToken cancellationToken)
    {
        using CancellationTokenRegistration registration = cancellationToken.Register(() => completion.TryCancel(cancellationToken));
        await completion.Task.ConfigureAwait(false);
    }
}
