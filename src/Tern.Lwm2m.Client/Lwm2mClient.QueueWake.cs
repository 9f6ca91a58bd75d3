using Tern.Coap.Messages;
using Tern.Coap.Transport;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Client.Reporting;

namespace Tern.Lwm2m.Client;

/// <content>
/// Queue mode woken by reporting work (seed 001): a notification or a Send that falls due for a server whose session
/// is in QueueMode is held back, the engine is asked to reconnect (<see cref="Lwm2mClientEngine.OnReportingPending"/>:
/// an Update at once), and the held work goes out once that Update succeeded, in the order it was made. Work for a
/// server being woken waits behind it. If the session ends instead, the work is handed back to the reporter as undelivered.
/// </content>
public sealed partial class Lwm2mClient
{
    private readonly Dictionary<ushort, List<(ReportingAction Action, CoapPeer? Peer, CoapMessage Message)>> _heldForWake = [];

    /// <summary>
    /// On the loop: true when the work was held for a server in (or waking from) queue mode. A held notification keeps
    /// its pooled scratch message out of the pool for good (it is sent later); the pool makes a new one when needed.
    /// </summary>
    private bool HoldForQueueMode((ReportingAction Action, CoapPeer? Peer, CoapMessage Message, NotificationScratch? Scratch) work)
    {
        (ReportingAction Action, CoapPeer? Peer, CoapMessage Message) item = (work.Action, work.Peer, work.Message);
        ushort ssid = item.Action.ShortServerId;
        bool waking = _heldForWake.TryGetValue(ssid, out var held) && held.Count > 0;
        if (!waking && _engine.GetServerState(ssid) != Lwm2mClientState.QueueMode)
        {
            return false;
        }

        if (held is null)
        {
            _heldForWake[ssid] = held = [];
        }

        held.Add(item);
        if (!waking)
        {
            _engine.OnReportingPending(ssid);
        }

        return true;
    }

    /// <summary>On the loop, for each engine event before the reporter sees it: releases or returns held work.</summary>
    private void OnQueueWakeEvent(Lwm2mClientEvent clientEvent, CancellationToken token)
    {
        if (_heldForWake.Count == 0)
        {
            return;
        }

        switch (clientEvent)
        {
            case Lwm2mUpdateCompleted updated:
                foreach (var item in TakeHeld(updated.ShortServerId))
                {
                    Interlocked.Increment(ref _starting);
                    _ = DeliverAsync(item.Action, item.Peer, item.Message, token);
                }

                break;
            case Lwm2mRegistrationTimedOut or Lwm2mNetworkError or Lwm2mRegistered or Lwm2mDeregistered or Lwm2mDeregisterFailed or Lwm2mServerDisabled:
                ushort ssid = clientEvent switch
                {
                    Lwm2mRegistrationTimedOut e => e.ShortServerId,
                    Lwm2mNetworkError e => e.ShortServerId,
                    Lwm2mRegistered e => e.ShortServerId,
                    Lwm2mDeregistered e => e.ShortServerId,
                    Lwm2mDeregisterFailed e => e.ShortServerId,
                    _ => ((Lwm2mServerDisabled)clientEvent).ShortServerId,
                };
                var undelivered = TakeHeld(ssid);
                if (undelivered.Count > 0)
                {
                    lock (_reportingGate)
                    {
                        undelivered.ForEach(item => _reporter!.OnDeliveryFailed(item.Action));
                    }
                }

                break;
        }
    }

    private List<(ReportingAction Action, CoapPeer? Peer, CoapMessage Message)> TakeHeld(ushort ssid) =>
        _heldForWake.Remove(ssid, out var held) ? held : [];
}
