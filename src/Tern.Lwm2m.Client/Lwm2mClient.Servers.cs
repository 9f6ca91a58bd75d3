using Tern.Lwm2m.Client.Engine;

namespace Tern.Lwm2m.Client;

/// <content>Each LwM2M server's own session state, as of the loop's last step, readable from any thread.</content>
public sealed partial class Lwm2mClient
{
    private volatile IReadOnlyDictionary<ushort, Lwm2mClientState> _serverStates = new Dictionary<ushort, Lwm2mClientState>();
    private bool _serverStatesChanged;

    /// <summary>The short server ids of the servers the client has sessions with, primary first, as of the loop's last step.</summary>
    public IReadOnlyCollection<ushort> ServerIds => [.. _serverStates.Keys];

    /// <summary>
    /// One server's session state (Registration, RegistrationSession, QueueMode, Suspended, Failure...) as of the
    /// loop's last step, or null when the client has no session with it (not configured, bootstrapping, stopped).
    /// <see cref="State"/> is the client's, which follows the primary (first) server while sessions run.
    /// </summary>
    /// <param name="shortServerId">The server.</param>
    public Lwm2mClientState? GetServerState(ushort shortServerId) =>
        _serverStates.TryGetValue(shortServerId, out Lwm2mClientState state) ? state : null;

    /// <summary>On the loop, for each event it hands on: a state change means the snapshot must be taken again.</summary>
    private void NoteServerStateEvent(Lwm2mClientEvent clientEvent) =>
        _serverStatesChanged |= clientEvent is Lwm2mServerStateChanged or Lwm2mStateChanged;

    /// <summary>On the loop, after dispatching: publishes a fresh snapshot when a state changed.</summary>
    private void PublishServerStates()
    {
        if (!_serverStatesChanged)
        {
            return;
        }

        _serverStatesChanged = false;
        var states = new Dictionary<ushort, Lwm2mClientState>();
        foreach (ushort ssid in _engine.ServerIds)
        {
            states[ssid] = _engine.GetServerState(ssid)!.Value;
        }

        _serverStates = states;
    }
}
