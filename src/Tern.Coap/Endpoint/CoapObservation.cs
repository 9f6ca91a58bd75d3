using System.Threading.Channels;
using Tern.Coap.Transport;

namespace Tern.Coap.Endpoint;

/// <summary>
/// A client-side observation started by <see cref="CoapEndpoint.ObserveAsync"/>. Notifications reach the callback
/// one at a time in order. Dispose (or <see cref="CancelAsync"/>) to end it.
/// </summary>
public sealed class CoapObservation : IAsyncDisposable
{
    private readonly CoapEndpoint _endpoint;
    private readonly Func<CoapResponse, ValueTask> _onNotification;
    private readonly Channel<CoapResponse> _channel;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _reader;
    private CoapResponse? _firstResponse;
    private volatile bool _ended;

    internal CoapObservation(CoapEndpoint endpoint, long id, CoapPeer peer, Func<CoapResponse, ValueTask> onNotification, int buffer)
    {
        _endpoint = endpoint;
        Id = id;
        Peer = peer;
        _onNotification = onNotification;
        _channel = CoapEndpoint.CreateNotificationChannel(buffer, _ => endpoint.NotificationDone());
        _reader = Task.Run(ReadAsync);
    }

    /// <summary>The engine's id for this observation (for logs).</summary>
    public long Id { get; }

    /// <summary>The observed server.</summary>
    public CoapPeer Peer { get; }

    /// <summary>The response to the registration request.</summary>
    public CoapResponse Response => _firstResponse ?? throw new InvalidOperationException("The registration has not been answered yet.");

    /// <summary>True while notifications may still arrive.</summary>
    public bool IsActive => !_ended;

    /// <summary>Completes when the observation ends: successfully when the server or the application ended it, faulted with <see cref="CoapException"/> on failure.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Ends the observation by sending the registering GET or FETCH again with Observe=1 (<paramref name="deregister"/>) or by forgetting it, so the next notification is answered with RST.</summary>
    public async Task CancelAsync(bool deregister = true, CancellationToken cancellationToken = default)
    {
        if (_ended)
        {
            return;
        }

        await _endpoint.CancelObservationAsync(Id, deregister, cancellationToken).ConfigureAwait(false);
        End(null);
    }

    /// <summary>Cancels with a deregistering request and waits for the notification reader to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await CancelAsync(deregister: true).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            End(null);
        }

        await _reader.ConfigureAwait(false);
    }

    internal void SetFirstResponse(CoapResponse response)
    {
        _firstResponse = response;
    }

    internal bool Enqueue(CoapResponse notification) => !_ended && _channel.Writer.TryWrite(notification);

    internal void End(Exception? error)
    {
        _ended = true;
        _channel.Writer.TryComplete();
        if (error is null || error is CoapException { Kind: Engine.CoapErrorKind.Cancelled })
        {
            _completion.TrySetResult();
        }
        else
        {
            _completion.TrySetException(error);
        }
    }

    private async Task ReadAsync()
    {
        await foreach (CoapResponse notification in _channel.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await _onNotification(notification).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _endpoint.LogNotificationCallbackFailed(Id, ex);
            }
            finally
            {
                _endpoint.NotificationDone();
            }
        }
    }
}
