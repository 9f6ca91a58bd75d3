using System.Buffers;
using Microsoft.Extensions.Logging;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Transport;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Client.Reporting;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client;

public sealed partial class Lwm2mClient
{
    private readonly List<(ReportingAction Action, CoapPeer? Peer, CoapMessage Message, NotificationScratch? Scratch)> _reportWork = [];
    private readonly Stack<NotificationScratch> _notificationScratch = new();

    /// <summary>When the reporter next needs a step (pmin/pmax timers), or null.</summary>
    private DateTimeOffset? ReportingWakeUp
    {
        get
        {
            if (_reporter is null)
            {
                return null;
            }

            lock (_reportingGate)
            {
                return _reporter.PendingActions > 0 ? _time.GetUtcNow() : _reporter.NextWakeUp;
            }
        }
    }

    /// <summary>Follows the registration life cycle: a new session drops old observations, outages store notifications.</summary>
    private void OnReportingEvent(Lwm2mClientEvent clientEvent)
    {
        if (_reporter is null)
        {
            return;
        }

        lock (_reportingGate)
        {
            switch (clientEvent)
            {
                case Lwm2mRegistered registered when Known(registered.ShortServerId):
                    _reporter.OnRegistrationSessionStarted(registered.ShortServerId);
                    DropObservers(registered.ShortServerId);
                    break;
                case Lwm2mUpdateCompleted updated when Known(updated.ShortServerId):
                    _reporter.SetServerOnline(updated.ShortServerId, true);
                    break;
                case Lwm2mNetworkError or Lwm2mRegistrationFailed or Lwm2mRegistrationTimedOut or Lwm2mServerDisabled
                    when OfflineServer(clientEvent) is ushort offline && Known(offline):
                    _reporter.SetServerOnline(offline, false);
                    break;
                case Lwm2mDeregistered gone when Known(gone.ShortServerId):
                    _reporter.SetServerOnline(gone.ShortServerId, false);
                    DropObservers(gone.ShortServerId);
                    break;
                case Lwm2mEngineSuspended:
                    foreach (Lwm2mServerInstance server in _engine.Configuration.Servers.Where(s => Known(s.ShortServerId)))
                    {
                        _reporter.SetServerOnline(server.ShortServerId, false);
                    }

                    break;
            }
        }

        static ushort? OfflineServer(Lwm2mClientEvent e) => e switch
        {
            Lwm2mNetworkError x => x.ShortServerId,
            Lwm2mRegistrationFailed x => x.ShortServerId,
            Lwm2mRegistrationTimedOut x => x.ShortServerId,
            Lwm2mServerDisabled x => x.ShortServerId,
            _ => null,
        };

        bool Known(ushort ssid)
        {
            if (_engine.Configuration.Servers.FirstOrDefault(s => s.ShortServerId == ssid) is not { } server)
            {
                return false;
            }

            if (!IsKnownToReporter(ssid))
            {
                _reporter.AddServer(ReportingServerSettings.FromServerInstance(server, _store is not null && MuteSend(_store, server.InstanceId)), online: false);
            }

            return true;
        }
    }

    private bool IsKnownToReporter(ushort ssid)
    {
        try
        {
            _ = _reporter!.IsOnline(ssid);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private void DropObservers(ushort ssid)
    {
        foreach (var key in _observers.Keys.Where(k => k.Ssid == ssid).ToList())
        {
            _observers.Remove(key);
        }
    }

    /// <summary>Steps the reporter and hands its notifications and Sends to the endpoint.</summary>
    private void PumpReporting(CancellationToken token)
    {
        if (_reporter is null)
        {
            return;
        }

        // Only the loop thread pumps: the work list and the notification scratch pool are reused, so a notification in
        // steady state builds no list, message or payload buffer of its own.
        lock (_reportingGate)
        {
            _reporter.Step(_time.GetUtcNow());
            while (_reporter.TryTakeAction(out ReportingAction? action))
            {
                _reportWork.Add(Prepare(action));
            }
        }

        foreach (var item in _reportWork)
        {
            if (HoldForQueueMode(item))
            {
                continue;
            }

            Interlocked.Increment(ref _starting);
            Task delivering = DeliverAsync(item.Action, item.Peer, item.Message, token);

            // The endpoint has encoded the message before DeliverAsync first yields; once it is done, the scratch is free.
            if (item.Scratch is { } scratch && delivering.IsCompletedSuccessfully)
            {
                _notificationScratch.Push(scratch);
            }
        }

        _reportWork.Clear();
    }

    /// <summary>
    /// A notification of a whole object leaves out the instances its server may not read under access control, as
    /// the first answer to the Observe did. Other actions (and every action with one server) as they are.
    /// </summary>
    private ReportingAction VisibleToServer(ReportingAction action)
    {
        if (action is not NotifyAction notify || _dispatcher is null)
        {
            return action;
        }

        List<ReportedPath>? values = null;
        for (int i = 0; i < notify.Values.Count; i++)
        {
            ReportedPath value = notify.Values[i];
            if (value.Node is Lwm2mObject whole && _dispatcher.AccessControl.VisibleTo(notify.ShortServerId, whole) is var seen && !ReferenceEquals(seen, whole))
            {
                values ??= [.. notify.Values];
                values[i] = value with { Node = seen };
            }
        }

        return values is null ? action : notify with { Values = values };
    }

    private (ReportingAction Action, CoapPeer? Peer, CoapMessage Message, NotificationScratch? Scratch) Prepare(ReportingAction action)
    {
        NotificationScratch? scratch = action is NotifyAction ? (_notificationScratch.TryPop(out NotificationScratch? pooled) ? pooled : new()) : null;
        CoapMessage message = scratch?.Message ?? new CoapMessage();
        message.Code = action is SendAction ? CoapCode.Post : CoapCode.Content;
        ushort? format = action switch
        {
            NotifyAction n => n.ContentFormat,
            SendAction s => s.ContentFormat,
            _ => null,
        };
        ArrayBufferWriter<byte> payload = scratch?.Payload ?? new ArrayBufferWriter<byte>();
        payload.ResetWrittenCount();
        if (format is { } f && Lwm2mContentFormatRegistry.Default.TryGet(f, out ILwm2mContentCodec? codec) && ReportPayload.Encode(VisibleToServer(action), codec, payload) is null)
        {
            if (scratch is null)
            {
                message.ContentFormat = f;
            }
            else
            {
                message.SetOption(scratch.ContentFormat(f));
            }

            message.Payload = payload.WrittenMemory;
        }
        else
        {
            message.Code = action is SendAction ? CoapCode.Post : CoapCode.NotFound;
            message.ContentFormat = null;
            message.Payload = default;
        }

        if (action is SendAction)
        {
            message.Type = CoapMessageType.Confirmable;
            message.SetUriPath("dp");
            CoapPeer? peer = _peers.Where(p => p.Value.ShortServerId == action.ShortServerId && !p.Value.IsBootstrapServer).Select(p => (CoapPeer?)p.Key).FirstOrDefault();
            return (action, peer, message, null);
        }

        var notify = (NotifyAction)action;
        message.Token = notify.Token;
        message.RemoveOption(CoapOptionNumber.Observe);
        if (message.Code.IsSuccess)
        {
            message.AddOption(scratch!.Observe(notify.Sequence));
        }

        bool known = _observers.TryGetValue(ObserverKey(notify.ShortServerId, notify.Token.Span), out CoapPeer observer);
        return (action, known ? observer : null, message, scratch);
    }

    private async Task DeliverAsync(ReportingAction action, CoapPeer? peer, CoapMessage message, CancellationToken token)
    {
        // The endpoint's own task is what IsIdle watches: a wrapper around it would still look pending for a moment
        // after the exchange ended, while the network settles and the clock moves on past the failure.
        Task? sending = null;
        bool started = false;
        bool failed = false;
        try
        {
            if (action is NotifyAction notify)
            {
                if (peer is not { } observer)
                {
                    // The observer is gone (Observe=1, new session): the observation ends here.
                    lock (_reportingGate)
                    {
                        _reporter!.CancelObservation(notify.ShortServerId, notify.Token.Span);
                    }

                    return;
                }

                Task notifying = _endpoint.SendNotificationAsync(observer, message, notify.Confirmable, token);
                if (notifying.IsCompletedSuccessfully)
                {
                    return; // non-confirmable: sent, nothing to wait for
                }

                sending = notifying;
                Track(sending);
                started = true;
                await notifying.ConfigureAwait(false);
            }
            else if (peer is { } server)
            {
                Task<CoapResponse> posting = _endpoint.SendAsync(server, message, token);
                sending = posting;
                Track(sending);
                started = true;
                CoapResponse response = await posting.ConfigureAwait(false);
                failed = !response.IsSuccess && action is SendAction;
            }
            else
            {
                failed = true;
                return;
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (CoapException e)
        {
            LogReportFailed(action.GetType().Name, e.Kind.ToString());
            failed = e.Kind is not (Tern.Coap.Engine.CoapErrorKind.Cancelled or Tern.Coap.Engine.CoapErrorKind.Reset) || action is SendAction;
            if (!failed && action is NotifyAction cancelled)
            {
                lock (_reportingGate)
                {
                    // RST: the server no longer wants this observation (RFC 7641 §3.6).
                    _reporter!.CancelObservation(cancelled.ShortServerId, cancelled.Token.Span);
                    _observers.Remove(ObserverKey(cancelled.ShortServerId, cancelled.Token.Span));
                }
            }
        }
        finally
        {
            if (failed)
            {
                lock (_reportingGate)
                {
                    _reporter!.OnDeliveryFailed(action);
                }
            }

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

    /// <summary>An exchange handed to the endpoint: watched by IsIdle from here instead of by the starting count.</summary>
    private void Track(Task sending)
    {
        _inFlight.TryAdd(sending, 0);
        Interlocked.Decrement(ref _starting);
    }

    /// <summary>A notification's message, payload buffer and option bytes, reused once the endpoint has encoded them.</summary>
    private sealed class NotificationScratch
    {
        private readonly byte[] _observe = new byte[3];
        private CoapOption _contentFormat;
        private int _format = -1;

        public CoapMessage Message { get; } = new();

        public ArrayBufferWriter<byte> Payload { get; } = new();

        /// <summary>The Observe option for <paramref name="sequence"/> (24 bits, shortest big-endian form), over this scratch's bytes.</summary>
        public CoapOption Observe(uint sequence)
        {
            sequence &= 0xFFFFFF;
            int length = sequence == 0 ? 0 : sequence <= 0xFF ? 1 : sequence <= 0xFFFF ? 2 : 3;
            for (int i = length - 1, shift = 0; i >= 0; i--, shift += 8)
            {
                _observe[i] = (byte)(sequence >> shift);
            }

            return new CoapOption(CoapOptionNumber.Observe, _observe.AsMemory(0, length));
        }

        /// <summary>The Content-Format option for <paramref name="format"/>, built once per format this scratch carries.</summary>
        public CoapOption ContentFormat(ushort format)
        {
            if (_format != format)
            {
                _contentFormat = CoapOption.FromUInt(CoapOptionNumber.ContentFormat, format);
                _format = format;
            }

            return _contentFormat;
        }
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "{Action} failed: {Reason}")]
    private partial void LogReportFailed(string action, string reason);
}
