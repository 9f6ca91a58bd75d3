using Tern.Coap.Engine;
using Tern.Coap.Messages;

namespace Tern.Coap.Endpoint;

public sealed partial class CoapEndpoint
{
    private readonly Dictionary<long, CoapObserver> _observers = [];
    private ICoapRequestHandler? _handler;
    private bool _handlerReplaced;

    /// <summary>
    /// Sets or replaces the handler that serves incoming requests (null answers 4.04 to everything), overriding
    /// <see cref="CoapEndpointOptions.Handler"/>. Requests already being handled finish with the handler they started
    /// with; the next request uses the new one. Safe to call from any thread while the endpoint runs.
    /// </summary>
    /// <param name="handler">The new handler, or null.</param>
    public void SetRequestHandler(ICoapRequestHandler? handler)
    {
        lock (_gate)
        {
            _handler = handler;
            _handlerReplaced = true;
        }
    }

    private ICoapRequestHandler? CurrentHandler
    {
        get
        {
            lock (_gate)
            {
                return _handlerReplaced ? _handler : _options.Handler;
            }
        }
    }

    private void StartHandler(CoapRequestReceived request)
    {
        Interlocked.Increment(ref _work);
        if (_inlineRequests is { } inline)
        {
            // Run on the receive loop once the lock is released (RunHandlersInline).
            inline.Add(request);
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.endpoint.HandleAsync(state.request), (endpoint: this, request), preferLocal: false);
    }

    /// <summary>Receive loop, outside the lock: starts the handlers of requests the last datagram produced.</summary>
    private void RunInlineHandlers(List<CoapRequestReceived>? requests)
    {
        if (requests is null)
        {
            return;
        }

        foreach (CoapRequestReceived request in requests)
        {
            _ = HandleAsync(request);
        }

        requests.Clear();
    }

    private async Task HandleAsync(CoapRequestReceived received)
    {
        var context = new CoapRequestContext(this, received.RequestId, received.Peer, received.Request);
        CoapResponse response;
        try
        {
            using var timeout = new CancellationTokenSource(_options.HandlerTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _shutdown.Token);
            try
            {
                response = CurrentHandler is { } handler
                    ? await handler.HandleAsync(context, linked.Token).ConfigureAwait(false) ?? new CoapResponse(CoapCode.NotFound)
                    : new CoapResponse(CoapCode.NotFound);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                Log.HandlerTimedOut(_logger, received.Peer, received.Request.UriPath);
                response = new CoapResponse(CoapCode.ServiceUnavailable);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Log.HandlerFailed(_logger, received.Peer, received.Request.UriPath, ex);
                response = new CoapResponse(CoapCode.InternalServerError);
            }

            lock (_gate)
            {
                if (!_disposed)
                {
                    DateTimeOffset now = _time.GetUtcNow();
                    try
                    {
                        _engine.Respond(received.RequestId, response.Message, now);
                    }
                    catch (ArgumentException ex)
                    {
                        // The handler built something that is not a response: the client still gets an answer.
                        Log.HandlerFailed(_logger, received.Peer, received.Request.UriPath, ex);
                        _engine.Respond(received.RequestId, new CoapMessage { Code = CoapCode.InternalServerError }, now);
                    }

                    Pump(now);
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.HandlerFailed(_logger, received.Peer, received.Request.UriPath, ex);
        }
        finally
        {
            Interlocked.Decrement(ref _work);
        }
    }

    internal CoapObserver? AcceptObservation(CoapRequestContext context) =>
        Invoke((engine, now) =>
        {
            long? id = engine.AcceptObservation(context.RequestId, now);
            if (id is not { } observerId)
            {
                return null;
            }

            if (!_observers.TryGetValue(observerId, out CoapObserver? observer))
            {
                observer = new CoapObserver(this, observerId, context.Peer, context.Request);
                _observers[observerId] = observer;
            }

            return observer;
        });

    internal void Acknowledge(long requestId) => Invoke((engine, now) =>
    {
        engine.Acknowledge(requestId, now);
        return 0;
    });

    internal async Task NotifyAsync(long observerId, CoapResponse notification, bool confirmable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        cancellationToken.ThrowIfCancellationRequested();
        PendingExchange completion = new();
        long id = Invoke((engine, now) => engine.Notify(observerId, notification.Message, confirmable, now), id => _pending[id] = completion);
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

    internal void RemoveObserver(long observerId)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            DateTimeOffset now = _time.GetUtcNow();
            _engine.RemoveObserver(observerId, now);
            Pump(now);
        }
    }

    private void OnObserverRemoved(CoapObserverRemoved removed)
    {
        Log.ObserverRemoved(_logger, removed.ObserverId, removed.Reason);
        if (_observers.Remove(removed.ObserverId, out CoapObserver? observer))
        {
            observer.MarkRemoved(removed.Reason);
        }
    }
}
