using Microsoft.Extensions.Logging;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Lwm2m.Client.Engine;

namespace Tern.Lwm2m.Client;

public sealed partial class Lwm2mClient
{
    private ITimer? _wakeTimer;
    private CancellationTokenRegistration _wakeOnShutdown;

    private async Task RunAsync()
    {
        var token = _shutdown.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                bool posted = false;
                while (_inbox.Reader.TryRead(out var action))
                {
                    action();
                    posted = true;
                }

                if (posted)
                {
                    // Work the application queued (a Send, a changed value) leaves while the session it was meant for is
                    // still up: a Stop posted right after it must not deregister first and leave it undelivered.
                    PumpReporting(token);
                }

                _engine.Step(_time.GetUtcNow());
                if (Dispatch(token) || !posted)
                {
                    // Engine events (a server registered, gone offline) change what the reporter may send.
                    PumpReporting(token);
                }
                _state = _engine.State;
                PublishServerStates();
                _configuration = _engine.Configuration;
                if (_stopWaiter is { } waiter && !_engine.IsStarted && !_engine.HasExchangeInFlight)
                {
                    _stopWaiter = null;
                    waiter.TrySetResult();
                }

                await WaitAsync(token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        finally
        {
            _wakeOnShutdown.Dispose();
            _wakeTimer?.Dispose();
        }
    }

    /// <summary>
    /// Sleeps until the engine's next wake-up or until something is posted, whichever comes first. Allocation-free in
    /// steady state (it runs once per notification): one timer, re-armed each time, and the shutdown token both wake
    /// the loop by posting a no-op to the inbox, so the wait is a plain <c>WaitToReadAsync</c> without a cancellable
    /// token (the channel reuses its waiter), and the method's state machine comes from a pool.
    /// </summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WaitAsync(CancellationToken token)
    {
        if (_inbox.Reader.Count > 0)
        {
            return;
        }

        var wake = _engine.NextWakeUp;
        if (ReportingWakeUp is { } reportAt && (wake is null || reportAt < wake))
        {
            wake = reportAt;
        }

        var now = _time.GetUtcNow();
        if (wake is { } due && due <= now)
        {
            return;
        }

        if (_wakeTimer is null)
        {
            // The timer callback marks the loop busy before anything else runs, so a virtual clock that fires it
            // sees the client as working until the loop has stepped (no advancing past a due wake-up).
            _wakeTimer = _time.CreateTimer(static state =>
            {
                var client = (Lwm2mClient)state!;
                client._waiting = false;
                client._inbox.Writer.TryWrite(WakeUp);
            }, this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _wakeOnShutdown = token.UnsafeRegister(static state => ((Lwm2mClient)state!)._inbox.Writer.TryWrite(WakeUp), this);
        }

        _wakeTimer.Change(wake is { } at ? at - now : Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _waiting = true;
        try
        {
            token.ThrowIfCancellationRequested();
            await _inbox.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _waiting = false;
        }

        token.ThrowIfCancellationRequested();
    }

    /// <summary>Posted by the wake-up timer and on shutdown: the loop only needs to run.</summary>
    private static readonly Action WakeUp = static () => { };

    /// <summary>Carries out the engine's actions and passes its events on; true when there was any event.</summary>
    private bool Dispatch(CancellationToken token)
    {
        while (_engine.TryTakeAction(out var action))
        {
            if (action is Lwm2mSendRequest send)
            {
                NoteServerUri(send.ServerUri);
                // Counted from here, before any await, so the client never looks idle between taking an
                // exchange from the engine and handing it to the endpoint.
                Interlocked.Increment(ref _starting);
                _ = ExchangeAsync(send, token);
            }
            else if (action is Lwm2mSaveConfiguration save)
            {
                SaveState(save.Configuration);
            }
            else if (action is Lwm2mCloseConnection close)
            {
                OnCloseConnection(close);
            }
        }

        bool any = false;
        while (_engine.TryTakeEvent(out var clientEvent))
        {
            OnQueueWakeEvent(clientEvent, token);
            OnReportingEvent(clientEvent);
            NoteServerStateEvent(clientEvent);
            _events.Writer.TryWrite(clientEvent);
            any = true;
        }

        return any;
    }

    private async Task ExchangeAsync(Lwm2mSendRequest send, CancellationToken token)
    {
        Task<CoapResponse>? sending = null;
        bool started = false;
        try
        {
            var peer = await _resolve(send.ServerUri, token).ConfigureAwait(false);
            NotePeer(send.ServerUri, peer);
            sending = _endpoint.SendAsync(peer, send.Request, token);
            _inFlight.TryAdd(sending, 0);
            Interlocked.Decrement(ref _starting);
            started = true;
            var response = await sending.ConfigureAwait(false);
            var location = response.Message.GetOptions(CoapOptionNumber.LocationPath).Select(o => o.GetString()).ToArray();
            await Post(() => _engine.OnResponse(send.ExchangeId, response.Code, location, _time.GetUtcNow())).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (CoapException e)
        {
            LogExchangeFailed(send.Kind, e.Kind.ToString());
            await Post(() => _engine.OnExchangeFailed(send.ExchangeId, e.Kind.ToString(), _time.GetUtcNow())).ConfigureAwait(false);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            LogExchangeFailed(send.Kind, e.SocketErrorCode.ToString());
            await Post(() => _engine.OnExchangeFailed(send.ExchangeId, e.Message, _time.GetUtcNow())).ConfigureAwait(false);
        }
        finally
        {
            // Removed only after the outcome is queued, so IsIdle never sees a finished exchange whose outcome is not yet posted.
            if (sending is not null)
            {
                _inFlight.TryRemove(sending, out _);
            }

            if (!started)
            {
                Interlocked.Decrement(ref _starting);
            }
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "{Kind} exchange failed: {Reason}")]
    private partial void LogExchangeFailed(Lwm2mRequestKind kind, string reason);
}
