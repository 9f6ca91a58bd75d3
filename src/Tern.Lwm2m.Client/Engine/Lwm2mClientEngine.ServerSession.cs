using Tern.Coap.Messages;
using Tern.Lwm2m.Client.Configuration;

namespace Tern.Lwm2m.Client.Engine;

public sealed partial class Lwm2mClientEngine
{
    /// <summary>What a session does once its Deregister has an outcome.</summary>
    private enum AfterDeregister
    {
        None,

        /// <summary>Server- or application-triggered disable: Suspended for the session's timers.</summary>
        Suspend,

        /// <summary>A client-wide move (stop, restart, bootstrap) waits for every session to leave.</summary>
        Leave,
    }

    /// <summary>
    /// One LwM2M server account's registration session: its own state (Initial, Registration, RegistrationSession,
    /// QueueMode, Suspended, Failure), its exchange in flight, its retry counters, Update schedule and suspension timers.
    /// Plain data: the engine's partial files hold the logic, each taking the session it works on.
    /// </summary>
    private sealed class ServerSession(Lwm2mServerAccount account)
    {
        public Lwm2mServerAccount Account = account;
        public Lwm2mClientState State = Lwm2mClientState.Initial;

        public long? Pending;
        public Lwm2mRequestKind PendingKind;

        // Registration: attempt n of sequence m, the version claimed, when the next attempt goes out.
        public uint Attempt;
        public uint Sequence;
        public int VersionIndex;
        public DateTimeOffset? AttemptAt;
        public CoapCode? LastRegisterCode;

        // The registration session.
        public string[]? Location;
        public DateTimeOffset UpdateDue;
        public DateTimeOffset? LastUpdateSent;
        public DateTimeOffset LastActivity;
        public DateTimeOffset RegistrationRefreshed;
        public bool UpdateRequested;
        public bool LifetimeChanged;
        public bool ObjectsChanged;
        public bool WakeRequested;
        public AfterDeregister AfterDeregister;

        // What changed while the Register was in flight (it carried the old values, so an Update must follow).
        public bool RegisterStaleObjects;
        public bool RegisterStaleLifetime;
        public bool StopWhenRegisterEnds;

        // Server- and application-triggered suspensions; MaxValue means indefinitely, null means not set.
        public DateTimeOffset? ServerDisabledUntil;
        public DateTimeOffset? UserDisabledUntil;

        public ushort ShortServerId => Account.Server.ShortServerId;

        public string ServerUri => Account.Security.ServerUri;

        public bool IsRegistered => State is Lwm2mClientState.RegistrationSession or Lwm2mClientState.QueueMode;

        public string? LocationText => Location is null ? null : "/" + string.Join('/', Location);
    }
}
