namespace Tern.Lwm2m.Client.Engine;

/// <summary>The states of the client lifecycle (Anjay Lite's client logic, seed 001).</summary>
public enum Lwm2mClientState
{
    /// <summary>Validates the configuration and picks Bootstrap or Registration; the client also rests here when stopped.</summary>
    Initial,

    /// <summary>Talks to the bootstrap server.</summary>
    Bootstrap,

    /// <summary>Sends Register and retries it.</summary>
    Registration,

    /// <summary>Registered: answers the server and sends Updates.</summary>
    RegistrationSession,

    /// <summary>Registered with the connection closed; wakes up when something must be sent.</summary>
    QueueMode,

    /// <summary>Disabled by the server (/1/x/4) or the application until the disable timeouts expire.</summary>
    Suspended,

    /// <summary>Gave up; stays here until the application restarts the client.</summary>
    Failure,
}

/// <summary>LwM2M enabler versions the client can register with.</summary>
public enum Lwm2mVersion
{
    /// <summary>LwM2M 1.0.</summary>
    Lwm2m10,

    /// <summary>LwM2M 1.1.</summary>
    Lwm2m11,

    /// <summary>LwM2M 1.2.</summary>
    Lwm2m12,
}

/// <summary>The kinds of request the lifecycle sends to a server.</summary>
public enum Lwm2mRequestKind
{
    /// <summary>Register (POST /rd).</summary>
    Register,

    /// <summary>Update (POST to the location path).</summary>
    Update,

    /// <summary>Deregister (DELETE the location path).</summary>
    Deregister,

    /// <summary>Bootstrap-Request (POST /bs?ep=..) to the bootstrap server.</summary>
    BootstrapRequest,
}

/// <summary>The answer to a request for bootstrap (<see cref="Lwm2mClientEngine.RequestBootstrap"/>).</summary>
public enum Lwm2mBootstrapRequestResult
{
    /// <summary>The client deregisters if registered and then bootstraps.</summary>
    Accepted,

    /// <summary>Refused: the client is bootstrapping already (or a bootstrap is already requested).</summary>
    AlreadyBootstrapping,
}
