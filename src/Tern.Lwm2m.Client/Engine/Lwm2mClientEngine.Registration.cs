using Tern.Coap.Messages;

namespace Tern.Lwm2m.Client.Engine;

public sealed partial class Lwm2mClientEngine
{
    private uint _attempt;
    private uint _sequence;
    private int _versionIndex;
    private DateTimeOffset? _attemptAt;
    private CoapCode? _lastRegisterCode;

    /// <summary>The LwM2M version Register claims now (lowered on 4.12).</summary>
    public Lwm2mVersion CurrentVersion => _options.AllowedVersions[Math.Min(_versionIndex, _options.AllowedVersions.Count - 1)];

    private void BeginRegistrationSequence()
    {
        _attempt = 1;
        _sequence = 1;
        _attemptAt = _now;
        _lastRegisterCode = null;
        _location = null;
        _pendingExchange = null;
    }

    private bool StepRegistration()
    {
        if (_pendingExchange is not null || _attemptAt is not { } at || at > _now)
        {
            return false;
        }

        _attemptAt = null;
        var server = _account!.Server;
        Send(Lwm2mRequestKind.Register, RegistrationMessages.Register(
            _options.EndpointName, server.Lifetime, CurrentVersion, server.Binding, _objects, _options.PreferredContentFormat));
        LogRegisterSent(_attempt, _sequence, CurrentVersion);
        return false;
    }

    private void OnRegisterResponse(CoapCode code, IReadOnlyList<string> location)
    {
        if (code == CoapCode.Created)
        {
            if (location.Count == 0)
            {
                // A location path is needed for Update and Deregister; a server that omits it cannot be used.
                RegisterAttemptFailed(Lwm2mDeferredReason.ServerRegistration);
                return;
            }

            StartSession(location);
            return;
        }

        _lastRegisterCode = code;
        if (code == CoapCode.PreconditionFailed && _versionIndex + 1 < _options.AllowedVersions.Count)
        {
            // 4.12: the server does not speak this version; try the next lower allowed one at once, without using up an attempt.
            _versionIndex++;
            _attemptAt = _now;
            return;
        }

        RegisterAttemptFailed(code == CoapCode.ServiceUnavailable ? Lwm2mDeferredReason.ServiceUnavailable : Lwm2mDeferredReason.ServerRegistration);
    }

    /// <summary>
    /// One attempt failed. Within a sequence attempt n is followed after /1/x/18 * 2^(n-1); after /1/x/17 attempts
    /// the sequence failed and the next one starts after /1/x/19; after /1/x/20 sequences registration failed.
    /// </summary>
    private void RegisterAttemptFailed(Lwm2mDeferredReason reason)
    {
        var server = _account!.Server;
        var ssid = server.ShortServerId;
        if (_attempt < server.CommunicationRetryCount)
        {
            var wait = server.CommunicationRetryTimer * Math.Pow(2, _attempt - 1);
            _attempt++;
            _attemptAt = _now + wait;
            Raise(new Lwm2mRegistrationDeferred(_now, ssid, reason, _attemptAt.Value));
            return;
        }

        if (_sequence < server.SequenceRetryCount)
        {
            _sequence++;
            _attempt = 1;
            _attemptAt = _now + server.SequenceDelayTimer;
            Raise(new Lwm2mRegistrationDeferred(_now, ssid, reason, _attemptAt.Value));
            return;
        }

        Raise(new Lwm2mRegistrationFailed(_now, ssid, _lastRegisterCode));
        CloseConnection(keepContext: false);
        if (server.BootstrapOnRegistrationFailure && _configuration.BootstrapAccount is not null)
        {
            // /1/x/16: a failed registration falls back to the bootstrap server.
            Transition(Lwm2mClientState.Bootstrap);
            return;
        }

        Fail(Lwm2mClientErrorCode.RegistrationFailed, $"Registration with server {ssid} failed after {server.SequenceRetryCount} sequence(s) of {server.CommunicationRetryCount} attempt(s).");
    }
}
