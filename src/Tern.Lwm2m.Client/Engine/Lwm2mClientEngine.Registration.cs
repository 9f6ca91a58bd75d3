using Tern.Coap.Messages;

namespace Tern.Lwm2m.Client.Engine;

/// <summary>The Registration state of one server's session: Register, its retries by /1/x/17-20, and the 4.12 version fallback.</summary>
public sealed partial class Lwm2mClientEngine
{
    /// <summary>The LwM2M version Register claims now to the primary server (lowered on 4.12).</summary>
    public Lwm2mVersion CurrentVersion => Version(Primary);

    private Lwm2mVersion Version(ServerSession? session) =>
        _options.AllowedVersions[Math.Min(session?.VersionIndex ?? 0, _options.AllowedVersions.Count - 1)];

    private void BeginRegistrationSequence(ServerSession session)
    {
        session.Attempt = 1;
        session.Sequence = 1;
        session.AttemptAt = _now;
        session.LastRegisterCode = null;
        session.Location = null;
        session.Pending = null;
        session.RegisterStaleObjects = session.RegisterStaleLifetime = false;
    }

    private bool StepRegistration(ServerSession session)
    {
        if (session.Pending is not null || session.AttemptAt is not { } at || at > _now)
        {
            return false;
        }

        session.AttemptAt = null;
        session.RegisterStaleObjects = session.RegisterStaleLifetime = false;
        var server = session.Account.Server;
        var version = Version(session);
        Send(session, Lwm2mRequestKind.Register, RegistrationMessages.Register(
            _options.EndpointName, server.Lifetime, version, server.Binding, _objects, _options.PreferredContentFormat));
        LogRegisterSent(server.ShortServerId, session.Attempt, session.Sequence, version);
        return false;
    }

    private void OnRegisterResponse(ServerSession session, CoapCode code, IReadOnlyList<string> location)
    {
        if (code == CoapCode.Created)
        {
            if (location.Count == 0)
            {
                // A location path is needed for Update and Deregister; a server that omits it cannot be used.
                RegisterAttemptFailed(session, Lwm2mDeferredReason.ServerRegistration);
                return;
            }

            StartSession(session, location);
            return;
        }

        session.LastRegisterCode = code;
        if (code == CoapCode.PreconditionFailed && session.VersionIndex + 1 < _options.AllowedVersions.Count)
        {
            // 4.12: the server does not speak this version; try the next lower allowed one at once, without using up an attempt.
            session.VersionIndex++;
            session.AttemptAt = _now;
            return;
        }

        RegisterAttemptFailed(session, code == CoapCode.ServiceUnavailable ? Lwm2mDeferredReason.ServiceUnavailable : Lwm2mDeferredReason.ServerRegistration);
    }

    /// <summary>
    /// One attempt failed. Within a sequence attempt n is followed after /1/x/18 * 2^(n-1); after /1/x/17 attempts
    /// the sequence failed and the next one starts after /1/x/19; after /1/x/20 sequences registration with this server
    /// failed: the whole client bootstraps when /1/x/16 allows it (the other servers are deregistered first), else this
    /// session fails, and the client fails once every session has.
    /// </summary>
    private void RegisterAttemptFailed(ServerSession session, Lwm2mDeferredReason reason)
    {
        var server = session.Account.Server;
        var ssid = server.ShortServerId;
        if (session.Attempt < server.CommunicationRetryCount)
        {
            var wait = server.CommunicationRetryTimer * Math.Pow(2, session.Attempt - 1);
            session.Attempt++;
            session.AttemptAt = _now + wait;
            Raise(new Lwm2mRegistrationDeferred(_now, ssid, reason, session.AttemptAt.Value));
            return;
        }

        if (session.Sequence < server.SequenceRetryCount)
        {
            session.Sequence++;
            session.Attempt = 1;
            session.AttemptAt = _now + server.SequenceDelayTimer;
            Raise(new Lwm2mRegistrationDeferred(_now, ssid, reason, session.AttemptAt.Value));
            return;
        }

        Raise(new Lwm2mRegistrationFailed(_now, ssid, session.LastRegisterCode));
        CloseConnection(session, keepContext: false);
        if (server.BootstrapOnRegistrationFailure && _configuration.BootstrapAccount is not null)
        {
            // /1/x/16: a failed registration falls back to the bootstrap server, for the whole client.
            HoldPublish();
            SetState(session, Lwm2mClientState.Initial);
            BeginMove(ClientMove.Bootstrap, deregister: true);
            ReleasePublish();
            return;
        }

        var message = $"Registration with server {ssid} failed after {server.SequenceRetryCount} sequence(s) of {server.CommunicationRetryCount} attempt(s).";
        if (_sessions.TrueForAll(s => s == session || s.State == Lwm2mClientState.Failure))
        {
            HoldPublish();
            SetState(session, Lwm2mClientState.Failure);
            Fail(Lwm2mClientErrorCode.RegistrationFailed, message);
            ReleasePublish();
            return;
        }

        // The other servers go on; this one stays failed until the application restarts the client.
        LogServerFailed(ssid, message);
        SetState(session, Lwm2mClientState.Failure);
    }
}
