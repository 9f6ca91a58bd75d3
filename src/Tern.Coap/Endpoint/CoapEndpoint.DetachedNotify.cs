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
    public async Task SendNotificationAsync(CoapPeer peer, CoapMessage notification, bool confirmable, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        cancellationToken.ThrowIfCancellationRequested();
        PendingExchange completion = new();
        Invoke((engine, now) => engine.SendNotification(peer, notification, confirmable, now), id => _pending[id] = completion);
        try
        {
            using CancellationTokenRegistration registration = cancellationToken.Register(() => completion.TryCancel(cancellationToken));
            await completion.Task.ConfigureAwait(false);
        }
        finally
        {
            completion.Resumed(ref _work);
        }
    }
}
