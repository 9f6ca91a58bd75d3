using System.Text;

namespace Tern.Coap.Dtls.Native;

/// <content>
/// The plain-PSK key exchange (RFC 4279 §2): an optional ServerKeyExchange with the identity hint, then the client's
/// identity in ClientKeyExchange selects the key the premaster secret is made of.
/// </content>
internal sealed partial class NativeConnection
{
    private void StartPsk(ClientHello hello)
    {
        _sessionId = NewSessionId();
        var flight = new List<FlightMessage>(3) { Handshake(HandshakeMessage.ServerHello, ServerMessages.ServerHello(
            _serverRandom, _sessionId, _suite, hello.OffersSecureRenegotiation, _extendedMasterSecret)) };
        if (_engine.Options.PskIdentityHint is { } hint)
        {
            flight.Add(Handshake(HandshakeMessage.ServerKeyExchange, ServerMessages.PskServerKeyExchange(Encoding.UTF8.GetBytes(hint))));
        }

        SendFirstFlight(flight, State.AwaitingClientKeyExchange);
    }

    private void OnPskClientKeyExchange(byte[] body)
    {
        byte[]? identityBytes = ServerMessages.PskIdentity(body);
        if (identityBytes is null)
        {
            Fail(new DtlsException(DtlsErrorKind.ProtocolError, "Malformed ClientKeyExchange."), sendAlert: 50);
            return;
        }

        string identity = Encoding.UTF8.GetString(identityBytes);
        byte[]? key = _engine.Options.PskStore?.GetKey(identity);
        if (key is null)
        {
            Fail(new DtlsException(DtlsErrorKind.UnknownPskIdentity, $"The client presented PSK identity '{identity}', which the server does not know.", null, 115), sendAlert: 115);
            return;
        }

        PskIdentity = identity;
        Accept(HandshakeMessage.ClientKeyExchange, body);
        DeriveMasterSecret(TlsPrf.PskPremasterSecret(key));
        _state = State.AwaitingChangeCipherSpec;
    }
}
