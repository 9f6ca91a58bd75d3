using System.Threading.Channels;
using Tern.Coap.Engine;
using Tern.Coap.Messages;
using Tern.Coap.Transport;

namespace Tern.Coap.Endpoint;

public sealed partial class CoapEndpoint
{
    private readonly Dictionary<long, CoapObservation> _observations = [];

    /// <summary>
    /// Sends a request and waits for its response. The engine sets message ID and (when empty) token, retransmits a
    /// CON, queues behind another outstanding request to the same peer, and follows block-wise transfers. A response
    /// of any code is returned; network and protocol failures throw <see cref="CoapException"/> (Timeout, Reset,
    /// TooLarge, ProtocolError, CapacityExceeded, or Cancelled on dispose); <paramref name="cancellationToken"/> throws
    /// <see cref="OperationCanceledException"/>.
    /// </summary>
    public Task<CoapResponse> SendAsync(CoapPeer peer, CoapMessage request, CancellationToken cancellationToken = default)
    {
        PendingExchange completion = new();
        return ReleasedWhenDone(SendCoreAsync(peer, request, completion, cancellationToken), completion);
    }

    private async Task<CoapResponse> SendCoreAsync(CoapPeer peer, CoapMessage request, PendingExchange completion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        long id = Invoke((engine, now) => engine.SendRequest(peer, request, now), id => _pending[id] = completion);
        CoapMessage? response = await AwaitExchangeAsync(id, completion, cancellationToken).ConfigureAwait(false);
        return new CoapResponse(response!);
    }

    /// <summary>
    /// Registers an observation with a GET, or a FETCH with its body (RFC 8132), carrying Observe=0 (added when missing)
    /// and returns once the first response arrived; notifications are matched to it by token. When the server accepted (<see cref="CoapObservation.IsActive"/>), later notifications go to
    /// <paramref name="onNotification"/> one at a time, in order, stale ones dropped (RFC 7641 §3.4). Network failures
    /// throw <see cref="CoapException"/>.
    /// </summary>
    public Task<CoapObservation> ObserveAsync(CoapPeer peer, CoapMessage request, Func<CoapResponse, ValueTask> onNotification, CancellationToken cancellationToken = default)
    {
        PendingExchange completion = new();
        return ReleasedWhenDone(ObserveCoreAsync(peer, request, onNotification, completion, cancellationToken), completion);
    }

    private async Task<CoapObservation> ObserveCoreAsync(CoapPeer peer, CoapMessage request, Func<CoapResponse, ValueTask> onNotification, PendingExchange completion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(onNotification);
        if (request.Code != CoapCode.Get && request.Code != CoapCode.Fetch)
        {
            throw new ArgumentException("Observe a resource with a GET or FETCH request.", nameof(request));
        }

        cancellationToken.ThrowIfCancellationRequested();
        CoapMessage registration = Clone(request);
        registration.Observe = 0;
        CoapObservation? observation = null;
        long id = Invoke((engine, now) => engine.SendRequest(peer, registration, now), id =>
        {
            observation = new CoapObservation(this, id, peer, onNotification, _options.NotificationBuffer);
            _observations[id] = observation;
            _pending[id] = completion;
        });
        CoapMessage? first = await AwaitExchangeAsync(id, completion, cancellationToken).ConfigureAwait(false);
        observation!.SetFirstResponse(new CoapResponse(first!));
        return observation;
    }

    /// <summary>Sends a CoAP ping (empty CON) and waits for the RST; throws <see cref="CoapException"/> (Timeout) when none comes.</summary>
    public Task PingAsync(CoapPeer peer, CancellationToken cancellationToken = default)
    {
        PendingExchange completion = new();
        return ReleasedWhenDone(PingCoreAsync(peer, completion, cancellationToken), completion);
    }

    private async Task PingCoreAsync(CoapPeer peer, PendingExchange completion, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        long id = Invoke((engine, now) => engine.SendPing(peer, now), id => _pending[id] = completion);
        await AwaitExchangeAsync(id, completion, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Keeps a settled exchange counted as the endpoint's work until <paramref name="call"/>, the task the caller awaits,
    /// has completed. Released any earlier (when the endpoint's own code resumed, say), a caller that judges its
    /// exchanges by their tasks would see neither the endpoint busy nor its task done for a moment, and a virtual
    /// network settling then moves the clock past an outcome on its way to the caller.
    /// </summary>
    private TTask ReleasedWhenDone<TTask>(TTask call, PendingExchange completion)
        where TTask : Task
    {
        _ = call.ContinueWith(
            static (_, state) =>
            {
                var (endpoint, exchange) = ((CoapEndpoint, PendingExchange))state!;
                exchange.Resumed(ref endpoint._work);
            },
            (this, completion),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return call;
    }

    /// <summary>Waits for the exchange's outcome; the caller releases it as work (<see cref="PendingExchange.Resumed"/>).</summary>
    private async Task<CoapMessage?> AwaitExchangeAsync(long id, PendingExchange completion, CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled)
        {
            return await completion.Task.ConfigureAwait(false);
        }

        using CancellationTokenRegistration registration = cancellationToken.Register(() =>
        {
            if (completion.TryCancel(cancellationToken))
            {
                CancelExchange(id);
            }
        });
        return await completion.Task.ConfigureAwait(false);
    }

    private void CancelExchange(long id)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            DateTimeOffset now = _time.GetUtcNow();
            _pending.Remove(id);
            _engine.Cancel(id, now);
            Pump(now);
        }
    }

    /// <summary>Ends an observation: with a deregistering request (the registering GET or FETCH with Observe=1) or, passively, by forgetting it (RST on the next notification).</summary>
    internal async Task CancelObservationAsync(long id, bool deregister, CancellationToken cancellationToken)
    {
        PendingExchange? completion = null;
        long? deregistration = null;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            DateTimeOffset now = _time.GetUtcNow();
            if (deregister)
            {
                deregistration = _engine.CancelObservation(id, now);
                if (deregistration is { } requestId)
                {
                    completion = new();
                    _pending[requestId] = completion;
                }
            }
            else
            {
                _engine.Cancel(id, now);
            }

            Pump(now);
        }

        if (completion is not null)
        {
            try
            {
                await AwaitExchangeAsync(deregistration!.Value, completion, cancellationToken).ConfigureAwait(false);
            }
            catch (CoapException ex)
            {
                // The observation is over on our side either way; the server will drop it on the next RST.
                Log.DeregistrationFailed(_logger, id, ex.Kind);
            }
            finally
            {
                completion.Resumed(ref _work);
            }
        }
    }

    private void OnResponse(CoapResponseReceived received)
    {
        if (_observations.TryGetValue(received.ExchangeId, out CoapObservation? observation) && !received.StartsObservation)
        {
            _observations.Remove(received.ExchangeId);
            observation.End(null);
        }

        if (_pending.Remove(received.ExchangeId, out PendingExchange? pending))
        {
            pending.TrySettle(ref _work, received.Response);
        }
    }

    private void OnNotification(CoapNotificationReceived received)
    {
        if (!_observations.TryGetValue(received.ExchangeId, out CoapObservation? observation))
        {
            return;
        }

        if (observation.Enqueue(new CoapResponse(received.Notification)))
        {
            Interlocked.Increment(ref _work);
        }

        if (received.IsLast)
        {
            _observations.Remove(received.ExchangeId);
            observation.End(null);
        }
    }

    private void EndObservation(long id, Exception? error)
    {
        if (_observations.Remove(id, out CoapObservation? observation))
        {
            observation.End(error);
        }
    }

    private void EndAllObservations()
    {
        foreach (CoapObservation observation in _observations.Values)
        {
            observation.End(new CoapException(CoapErrorKind.Cancelled, "The endpoint was disposed."));
        }

        _observations.Clear();
    }

    /// <summary>Called by an observation's reader after each notification callback (or a dropped notification).</summary>
    internal void NotificationDone() => Interlocked.Decrement(ref _work);

    internal void LogNotificationCallbackFailed(long id, Exception exception) => Log.NotificationCallbackFailed(_logger, id, exception);

    private static CoapMessage Clone(CoapMessage source)
    {
        var copy = new CoapMessage
        {
            Type = source.Type,
            Code = source.Code,
            Token = source.Token,
            Payload = source.Payload,
        };
        foreach (CoapOption option in source.Options)
        {
            copy.AddOption(option);
        }

        return copy;
    }

    internal static Channel<CoapResponse> CreateNotificationChannel(int capacity, Action<CoapResponse> dropped) =>
        Channel.CreateBounded(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true }, dropped);
}
