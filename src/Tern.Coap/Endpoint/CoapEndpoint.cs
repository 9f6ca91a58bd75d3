using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tern.Coap.Engine;
using Tern.Coap.Messages;
using Tern.Coap.Transport;

namespace Tern.Coap.Endpoint;

/// <summary>
/// Binds a <see cref="CoapEngine"/> to an <see cref="ICoapTransport"/> and a <see cref="TimeProvider"/>: one receive
/// loop feeding datagrams in, one send loop writing datagrams out, one timer driving the engine's wake-ups.
/// Client calls (<see cref="SendAsync"/>, <see cref="ObserveAsync"/>, <see cref="PingAsync"/>) and the server
/// handler run concurrently; the engine itself is only touched under one lock. Dispose to stop.
/// </summary>
public sealed partial class CoapEndpoint : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly CoapEngine _engine;
    private readonly ICoapTransport _transport;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CoapEndpointOptions _options;
    private readonly ITimer _timer;
    private readonly Channel<CoapOutgoingDatagram> _sendQueue = Channel.CreateUnbounded<CoapOutgoingDatagram>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Dictionary<long, PendingExchange> _pending = [];
    private Task _receiveLoop = Task.CompletedTask;
    private Task _sendLoop = Task.CompletedTask;
    private int _work;
    private List<CoapRequestReceived>? _inlineRequests;
    private bool _disposed;

    private CoapEndpoint(ICoapTransport transport, CoapEndpointOptions options, TimeProvider time, ILoggerFactory? loggers)
    {
        _transport = transport;
        _options = options;
        _time = time;
        _logger = loggers?.CreateLogger<CoapEndpoint>() ?? NullLogger<CoapEndpoint>.Instance;
        _engine = new CoapEngine(options.Engine, options.Random);
        _timer = time.CreateTimer(static state => ((CoapEndpoint)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The local address of the transport.</summary>
    public CoapPeer LocalEndPoint => _transport.LocalEndPoint;

    /// <summary>The settings in use.</summary>
    public CoapEndpointOptions Options => _options;

    /// <summary>
    /// True when no datagram waits to be sent and no handler or notification callback is running. Together with
    /// the transport's own queue this tells a test on virtual time that everything has settled.
    /// </summary>
    public bool IsIdle => Volatile.Read(ref _work) == 0;

    /// <summary>Starts an endpoint on <paramref name="transport"/>; the endpoint owns and disposes the transport.</summary>
    /// <param name="transport">The datagram transport.</param>
    /// <param name="options">Settings; defaults when null.</param>
    /// <param name="time">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="loggers">Logging; none when null.</param>
    public static ValueTask<CoapEndpoint> StartAsync(ICoapTransport transport, CoapEndpointOptions? options = null, TimeProvider? time = null, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        var endpoint = new CoapEndpoint(transport, options ?? new CoapEndpointOptions(), time ?? TimeProvider.System, loggers);
        endpoint._receiveLoop = Task.Run(endpoint.ReceiveLoopAsync);
        endpoint._sendLoop = Task.Run(endpoint.SendLoopAsync);
        Log.Started(endpoint._logger, transport.LocalEndPoint);
        return ValueTask.FromResult(endpoint);
    }

    /// <summary>Stops the loops, fails every pending exchange with <see cref="CoapErrorKind.Cancelled"/> and disposes the transport.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (PendingExchange pending in _pending.Values)
            {
                pending.TrySettle(ref _work, null, new CoapException(CoapErrorKind.Cancelled, "The endpoint was disposed."));
            }

            _pending.Clear();
            EndAllObservations();
        }

        _timer.Dispose();
        _sendQueue.Writer.TryComplete();
        await _shutdown.CancelAsync().ConfigureAwait(false);
        await _transport.DisposeAsync().ConfigureAwait(false);
        try
        {
            // A transport that ignores cancellation must not hang disposal forever.
            await Task.WhenAll(_receiveLoop, _sendLoop).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (TimeoutException ex)
        {
            Log.StopTimedOut(_logger, ex);
        }

        _shutdown.Dispose();
        Log.Stopped(_logger, _transport.LocalEndPoint);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private async Task ReceiveLoopAsync()
    {
        byte[] buffer = new byte[Math.Max(_transport.MaxDatagramSize, _options.Engine.MaxDatagramSize) + 1];
        CancellationToken token = _shutdown.Token;
        List<CoapRequestReceived>? inline = _options.RunHandlersInline ? [] : null;
        while (!token.IsCancellationRequested)
        {
            CoapDatagram datagram;
            try
            {
                datagram = await _transport.ReceiveAsync(buffer, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                break;
            }
            catch (ObjectDisposedException) when (_disposed)
            {
                break;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Log.ReceiveFailed(_logger, ex);
                continue;
            }

            if (datagram.Truncated)
            {
                Log.DatagramTooLong(_logger, datagram.Peer, datagram.Length);
                continue;
            }

            try
            {
                lock (_gate)
                {
                    if (_disposed)
                    {
                        break;
                    }

                    DateTimeOffset now = _time.GetUtcNow();
                    _inlineRequests = inline;
                    try
                    {
                        _engine.OnDatagram(datagram.Peer, buffer.AsSpan(0, datagram.Length), now);
                        Pump(now);
                    }
                    finally
                    {
                        _inlineRequests = null;
                    }
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The engine promises not to throw on any bytes; if it ever does, log it and keep serving.
                Log.EngineFailed(_logger, datagram.Peer, ex);
            }

            RunInlineHandlers(inline);
        }
    }

    private async Task SendLoopAsync()
    {
        CancellationToken token = _shutdown.Token;
        // The queue is completed on dispose, which ends this loop; reading without a cancellable token lets the
        // channel reuse one waiter instead of allocating one per wake-up.
        await foreach (CoapOutgoingDatagram datagram in _sendQueue.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (token.IsCancellationRequested)
            {
                Interlocked.Decrement(ref _work);
                continue;
            }

            try
            {
                await _transport.SendAsync(datagram.Peer, datagram.Datagram, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Log.SendFailed(_logger, datagram.Peer, ex);
            }
            finally
            {
                Interlocked.Decrement(ref _work);
            }
        }
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            DateTimeOffset now = _time.GetUtcNow();
            _engine.OnTimer(now);
            Pump(now);
        }
    }

    /// <summary>Under the lock: moves the engine's output to the send queue, dispatches its events, re-arms the timer.</summary>
    private void Pump(DateTimeOffset now)
    {
        _engine.OnTimer(now);
        while (_engine.TryTakeDatagram(out CoapOutgoingDatagram datagram))
        {
            Interlocked.Increment(ref _work);
            if (!_sendQueue.Writer.TryWrite(datagram))
            {
                Interlocked.Decrement(ref _work);
            }
        }

        while (_engine.TryTakeEvent(out CoapEngineEvent? engineEvent))
        {
            Dispatch(engineEvent!);
        }

        if (_engine.NextWakeUp is { } due)
        {
            TimeSpan delay = due - now;
            _timer.Change(delay > TimeSpan.Zero ? delay : TimeSpan.FromTicks(1), Timeout.InfiniteTimeSpan);
        }
        else
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    private void Dispatch(CoapEngineEvent engineEvent)
    {
        switch (engineEvent)
        {
            case CoapRequestReceived request:
                StartHandler(request);
                break;
            case CoapResponseReceived response:
                OnResponse(response);
                break;
            case CoapNotificationReceived notification:
                OnNotification(notification);
                break;
            case CoapExchangeCompleted completed:
                if (_pending.Remove(completed.ExchangeId, out PendingExchange? done))
                {
                    done.TrySettle(ref _work, null);
                }

                break;
            case CoapExchangeFailed failed:
                OnFailed(failed);
                break;
            case CoapObserverRemoved removed:
                OnObserverRemoved(removed);
                break;
            case CoapInputRejected rejected:
                Log.InputRejected(_logger, rejected.Peer, rejected.Reason);
                break;
        }
    }

    private void OnFailed(CoapExchangeFailed failed)
    {
        Log.ExchangeFailed(_logger, failed.ExchangeId, failed.Kind, failed.Reason);
        if (_pending.Remove(failed.ExchangeId, out PendingExchange? pending))
        {
            pending.TrySettle(ref _work, null, new CoapException(failed.Kind, failed.Reason));
        }

        EndObservation(failed.ExchangeId, new CoapException(failed.Kind, failed.Reason));
    }

    /// <summary>Runs an engine command under the lock and pumps its output.</summary>
    private T Invoke<T>(Func<CoapEngine, DateTimeOffset, T> command, Action<T>? beforePump = null)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            DateTimeOffset now = _time.GetUtcNow();
            T result = command(_engine, now);
            beforePump?.Invoke(result);
            Pump(now);
            return result;
        }
    }
}
