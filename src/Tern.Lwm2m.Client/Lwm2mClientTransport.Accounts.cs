using System.Net;
using Tern.Coap.Dtls;
using Tern.Coap.Endpoint;
using Tern.Coap.Transport.Udp;
using Tern.Lwm2m.Client.Configuration;

namespace Tern.Lwm2m.Client;

/// <content>
/// A transport that follows the client's accounts: the bootstrap server over DTLS with the bootstrap credentials,
/// then each LwM2M server with the credentials the bootstrap server provisioned, each over its own DTLS session (or
/// plain UDP for <c>coap://</c>), all under one <see cref="Endpoint"/>.
/// </content>
public sealed partial class Lwm2mClientTransport
{
    private Lwm2mClientTransportRouter? _router;
    private Lwm2mClientConfiguration? _initial;
    private Lwm2mClient? _client;

    /// <summary>
    /// Raised when a DTLS handshake fails, with the typed reason (wrong key, untrusted certificate, timeout ...), or when
    /// an account cannot be opened at all (<see cref="DtlsErrorKind.UnsupportedMode"/> for raw public key or EST,
    /// <see cref="DtlsErrorKind.HandshakeFailure"/> for missing or unreadable credentials). The sender is the account's
    /// <see cref="DtlsClientTransport"/>, or null when none could be opened.
    /// </summary>
    public event EventHandler<DtlsException>? HandshakeFailed;

    /// <summary>
    /// Opens a transport for every account the client has now or gets from a bootstrap server: plain UDP for
    /// <c>coap://</c> URIs, and for each <c>coaps://</c> URI a DTLS client with the credentials its Security instance
    /// holds when the client first talks to that server (reopened when a bootstrap changed them). Call
    /// <see cref="Follow"/> with the client before starting it, so that credentials the bootstrap server wrote are found.
    /// No handshake happens here. An account with an unsupported mode (1, 4) or unusable credentials fails its exchanges
    /// at once (the client's retry policy applies) after <see cref="HandshakeFailed"/> named the reason.
    /// </summary>
    /// <exception cref="ArgumentException">The first account's credentials are missing or unreadable.</exception>
    /// <exception cref="DtlsException">The first account's security mode is not supported (raw public key, EST).</exception>
    /// <exception cref="System.Net.Sockets.SocketException">The local UDP port cannot be bound.</exception>
    public static async Task<Lwm2mClientTransport> CreateForAccountsAsync(Lwm2mClientConfiguration configuration, Lwm2mClientTransportOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        options ??= new Lwm2mClientTransportOptions();
        Lwm2mSecurityInstance? account = configuration.Validate().Count == 0 ? SelectAccount(configuration) : null;
        if (account is { SecurityMode: not Lwm2mSecurityMode.NoSec })
        {
            // The first account's credentials are checked now, as CreateAsync does, so that a bad file is a start-up error.
            DtlsSecurityModes.EnsureSupported((int)account.SecurityMode);
            _ = CreateDtlsOptions(account, options);
        }

        UdpCoapTransport udp = await UdpCoapTransport.BindAsync(options.LocalEndPoint, cancellationToken: cancellationToken).ConfigureAwait(false);
        var router = new Lwm2mClientTransportRouter(udp, options);
        CoapEndpoint endpoint = await CoapEndpoint.StartAsync(options.WrapTransport?.Invoke(router) ?? router, options.Coap, options.Time, options.Loggers).ConfigureAwait(false);
        var transport = new Lwm2mClientTransport(endpoint, default, account?.ServerUri ?? string.Empty, null) { _router = router, _initial = configuration };
        router.Lookup = transport.FindAccount;
        router.HandshakeFailed += (sender, error) => transport.HandshakeFailed?.Invoke(sender, error);
        return transport;
    }

    /// <summary>
    /// Looks credentials up in <paramref name="client"/>'s data model (where a bootstrap server writes them) and
    /// configuration, before the configuration this transport was created with. Only for <see cref="CreateForAccountsAsync"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The transport was not created by <see cref="CreateForAccountsAsync"/>.</exception>
    public void Follow(Lwm2mClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (_router is null)
        {
            throw new InvalidOperationException("Follow needs a transport from CreateForAccountsAsync; CreateAsync's talks to one server only.");
        }

        _client = client;
    }

    /// <summary>The DTLS client of the account with <paramref name="serverUri"/>, once the client has talked to it; null otherwise.</summary>
    public DtlsClientTransport? GetDtls(string serverUri)
    {
        ArgumentNullException.ThrowIfNull(serverUri);
        return _router is null ? (serverUri == _serverUri ? _dtls : null) : _router.Find(serverUri);
    }

    internal static Task<IPEndPoint> ResolveEndPointAsync(Uri uri, CancellationToken cancellationToken) => ResolveAsync(uri, cancellationToken);

    private Lwm2mSecurityInstance? FindAccount(string serverUri)
    {
        Lwm2mClient? client = _client;
        return Find(client?.DataModel?.ReadConfiguration(), serverUri) ?? Find(client?.Configuration, serverUri) ?? Find(_initial, serverUri);

        static Lwm2mSecurityInstance? Find(Lwm2mClientConfiguration? configuration, string serverUri) =>
            configuration?.Securities.FirstOrDefault(s => s.ServerUri == serverUri);
    }
}
