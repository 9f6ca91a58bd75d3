using Tern.Coap.Messages;

namespace Tern.Lwm2m.Client.Engine;

/// <summary>
/// Something the lifecycle tells the application. The sealed records below cover Zephyr's RD-client events
/// (seed 003) and the Nordic carrier events (seed 002) that the implemented states can produce.
/// </summary>
/// <param name="Time">When it happened, on the client's clock.</param>
public abstract record Lwm2mClientEvent(DateTimeOffset Time);

/// <summary>The lifecycle moved from one state to another.</summary>
/// <param name="Time">When.</param>
/// <param name="From">The old state.</param>
/// <param name="To">The new state.</param>
public sealed record Lwm2mStateChanged(DateTimeOffset Time, Lwm2mClientState From, Lwm2mClientState To) : Lwm2mClientEvent(Time);

/// <summary>Register succeeded (Zephyr REGISTRATION_COMPLETE, carrier REGISTERED).</summary>
/// <param name="Time">When.</param>
/// <param name="ShortServerId">The server.</param>
/// <param name="Location">The location path the server assigned, e.g. <c>/rd/5a3f</c>.</param>
/// <param name="Version">The LwM2M version the server accepted.</param>
public sealed record Lwm2mRegistered(DateTimeOffset Time, ushort ShortServerId, string Location, Lwm2mVersion Version) : Lwm2mClientEvent(Time);

/// <summary>Why a registration attempt was put off (the carrier DEFERRED reasons that apply).</summary>
public enum Lwm2mDeferredReason
{
    /// <summary>No specific reason.</summary>
    NoReason,

    /// <summary>The server could not be reached (timeout or network error).</summary>
    ServerConnect,

    /// <summary>The server answered Register with an error.</summary>
    ServerRegistration,

    /// <summary>The server answered 5.03 Service Unavailable.</summary>
    ServiceUnavailable,

    /// <summary>The bootstrap server could not be reached (carrier BOOTSTRAP_CONNECT).</summary>
    BootstrapConnect,

    /// <summary>
    /// The bootstrap sequence is incomplete: the bootstrap server refused Bootstrap-Request or did not finish in time
    /// (carrier BOOTSTRAP_SEQUENCE).
    /// </summary>
    BootstrapSequence,
}

/// <summary>A registration attempt failed and another is scheduled (carrier DEFERRED).</summary>
/// <param name="Time">When.</param>
/// <param name="ShortServerId">The server.</param>
/// <param name="Reason">Why.</param>
/// <param name="RetryAt">When the next attempt is sent.</param>
public sealed record Lwm2mRegistrationDeferred(DateTimeOffset Time, ushort ShortServerId, Lwm2mDeferredReason Reason, DateTimeOffset RetryAt) : Lwm2mClientEvent(Time);

/// <summary>All registration retries are used up (Zephyr REGISTRATION_FAILURE).</summary>
/// <param name="Time">When.</param>
/// <param name="ShortServerId">The server.</param>
/// <param name="LastCode">The last error code the server sent, if it answered at all.</param>
public sealed record Lwm2mRegistrationFailed(DateTimeOffset Time, ushort ShortServerId, CoapCode? LastCode) : Lwm2mClientEvent(Time);

/// <summary>An Update succeeded (Zephyr REG_UPDATE_COMPLETE).</summary>
/// <param name="Time">When.</param>
/// <param name="ShortServerId">The server.</param>
public sealed record Lwm2mUpdateCompleted(DateTimeOffset Time, ushort ShortServerId) : Lwm2mClientEvent(Time);

/// <summary>An Update failed with an error code; the client registers again (Zephyr REG_TIMEOUT).</summary>
/// <param name="Time">When.</param>
/// <param name="ShortServerId">The server.</param>
/// <param name="Code">The server's error code.</param>
public sealed record Lwm2mRegistrationTimedOut(DateTimeOffset Time, ushort ShortServerId, CoapCode Code) : Lwm2mClientEvent(Time);

/// <summary>An exchange got no answer or the network failed (Zephyr NETWORK_ERROR).</summary>
/// <param name="Time">When.</param>
/// <param name="ShortServerId">The server.</param>
/// <param name="Request">The request that failed.</param>
/// <param name="Reason">What the transport reported.</param>
public sealed record Lwm2mNetworkError(DateTimeOffset Time, ushort ShortServerId, Lwm2mRequestKind Request, string Reason) : Lwm2mClientEvent(Time);

/// <summary>Deregister was acknowledged and the connection closed (Zephyr DISCONNECT).</summary>
/// <param name="Time">When.</param>
/// <param name="ShortServerId">The server.</param>
public sealed record Lwm2mDeregistered(DateTimeOffset Time, ushort ShortServerId) : Lwm2mClientEvent(Time);

/// <summary>Deregister failed; the client moves on anyway (Zephyr DEREGISTER_FAILURE).</summary>
/// <param name="Time">When.</param>
/// <param name="ShortServerId">The server.</param>
public sealed record Lwm2mDeregisterFailed(DateTimeOffset Time, ushort ShortServerId) : Lwm2mClientEvent(Time);

/// <summary>Queue mode: the client stopped listening (Zephyr QUEUE_MODE_RX_OFF).</summary>
/// <param name="Time">When.</param>
/// <param name="ShortServerId">The server.</param>
public sealed record Lwm2mQueueModeRxOff(DateTimeOffset Time, ushort ShortServerId) : Lwm2mClientEvent(Time);

/// <summary>The server is disabled until the given time, or indefinitely (Zephyr SERVER_DISABLED).</summary>
/// <param name="Time">When.</param>
/// <param name="ShortServerId">The server.</param>
/// <param name="Until">When the client resumes, or null for never (until the application acts).</param>
public sealed record Lwm2mServerDisabled(DateTimeOffset Time, ushort ShortServerId, DateTimeOffset? Until) : Lwm2mClientEvent(Time);

/// <summary>Error codes of <see cref="Lwm2mClientError"/>.</summary>
public enum Lwm2mClientErrorCode
{
    /// <summary>The Security/Server configuration is missing or invalid.</summary>
    ConfigurationInvalid,

    /// <summary>Registration failed and /1/x/16 does not allow (or no account permits) bootstrapping.</summary>
    RegistrationFailed,

    /// <summary>Bootstrap failed after all its retries, or there is no bootstrap-server account to bootstrap from (carrier ERROR_BOOTSTRAP).</summary>
    BootstrapFailed,
}

/// <summary>The client entered Failure (carrier ERROR).</summary>
/// <param name="Time">When.</param>
/// <param name="Code">What kind of failure.</param>
/// <param name="Message">A readable explanation.</param>
public sealed record Lwm2mClientError(DateTimeOffset Time, Lwm2mClientErrorCode Code, string Message) : Lwm2mClientEvent(Time);

/// <summary>The application paused the engine (Zephyr ENGINE_SUSPENDED).</summary>
/// <param name="Time">When.</param>
public sealed record Lwm2mEngineSuspended(DateTimeOffset Time) : Lwm2mClientEvent(Time);

/// <summary>The application resumed a paused engine.</summary>
/// <param name="Time">When.</param>
public sealed record Lwm2mEngineResumed(DateTimeOffset Time) : Lwm2mClientEvent(Time);

/// <summary>
/// One server's registration session moved from one state to another (Initial, Registration, RegistrationSession,
/// QueueMode, Suspended, Failure). <see cref="Lwm2mStateChanged"/> follows the client as a whole (the primary server
/// while sessions run); this one follows every server.
/// </summary>
/// <param name="Time">When.</param>
/// <param name="ShortServerId">The server.</param>
/// <param name="From">The session's old state.</param>
/// <param name="To">The session's new state.</param>
public sealed record Lwm2mServerStateChanged(DateTimeOffset Time, ushort ShortServerId, Lwm2mClientState From, Lwm2mClientState To) : Lwm2mClientEvent(Time);
