using System.Net;
using System.Text;
using Tern.Coap.Dtls;
using Tern.Coap.Endpoint;
using Tern.Coap.Transport;
using Tern.Coap.Transport.Udp;
using Tern.Lwm2m.Client.Configuration;

namespace Tern.Lwm2m.Client;

/// <summary>
/// The CoAP endpoint an <see cref="Lwm2mClient"/> talks through, chosen by a Security (0) instance: plain UDP for
/// NoSec and a <c>coap://</c> URI, DTLS for PSK or certificate mode and a <c>coaps://</c> URI, with the credentials
/// of /0/x/3, /0/x/4 and /0/x/5. Pass <see cref="Endpoint"/> and <see cref="ResolvePeerAsync"/> to the client; dispose
/// this after the client.
/// </summary>
public sealed partial class Lwm2mClientTransport : IAsyncDisposable
{
    private readonly string _serverUri;
    private readonly DtlsClientTransport? _dtls;

    private Lwm2mClientTransport(CoapEndpoint endpoint, CoapPeer server, string serverUri, DtlsClientTransport? dtls)
    {
        Endpoint = endpoint;
        Server = server;
        _serverUri = serverUri;
        _dtls = dtls;
        if (dtls is not null)
        {
            dtls.HandshakeFailed += (sender, error) => HandshakeFailed?.Invoke(sender, error);
        }
    }

    /// <summary>The endpoint to give <see cref="Lwm2mClient"/>.</summary>
    public CoapEndpoint Endpoint { get; }

    /// <summary>The server address the Security instance's URI resolved to.</summary>
    public CoapPeer Server { get; }

    /// <summary>
    /// The DTLS transport under <see cref="Endpoint"/>, or null for NoSec. A transport from <see cref="CreateForAccountsAsync"/>
    /// answers with the DTLS client of the account it was created for (see <see cref="GetDtls"/> for the others).
    /// </summary>
    public DtlsClientTransport? Dtls => _router is null ? _dtls : _router.Find(_serverUri);

    /// <summary>Whether exchanges are protected by DTLS.</summary>
    public bool IsSecure => _router is null ? _dtls is not null : _serverUri.StartsWith("coaps:", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The account the client starts with, whose transport <see cref="CreateAsync(Lwm2mClientConfiguration, Lwm2mClientTransportOptions?, CancellationToken)"/>
    /// opens: the first LwM2M server account, else the bootstrap account; null when there is neither.
    /// </summary>
    public static Lwm2mSecurityInstance? SelectAccount(Lwm2mClientConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        IReadOnlyList<Lwm2mServerAccount> accounts = configuration.ServerAccounts;
        return accounts.Count > 0 ? accounts[0].Security : configuration.BootstrapAccount;
    }

    /// <summary>
    /// Opens the transport of <see cref="SelectAccount"/>. An invalid configuration, or one without an account, gets plain
    /// UDP so that the client starts and reports the configuration error itself (it enters Failure).
    /// </summary>
    public static Task<Lwm2mClientTransport> CreateAsync(Lwm2mClientConfiguration configuration, Lwm2mClientTransportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Lwm2mSecurityInstance? account = configuration.Validate().Count == 0 ? SelectAccount(configuration) : null;
        return account is null
            ? CreateUdpAsync(null, options ?? new Lwm2mClientTransportOptions(), cancellationToken)
            : CreateAsync(account, options, cancellationToken);
    }

    /// <summary>
    /// Opens the transport <paramref name="security"/> calls for. DTLS does not handshake here: the first exchange
    /// does, so an unreachable server or wrong credentials surface as failed exchanges (retried by the client's
    /// policy) and as <see cref="DtlsClientTransport.HandshakeFailed"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The URI is not coap:// or coaps://, or does not match the security mode, or credentials are missing or unreadable.</exception>
    /// <exception cref="DtlsException">The security mode is not supported (raw public key, EST).</exception>
    public static async Task<Lwm2mClientTransport> CreateAsync(Lwm2mSecurityInstance security, Lwm2mClientTransportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(security);
        options ??= new Lwm2mClientTransportOptions();
        DtlsSecurityModes.EnsureSupported((int)security.SecurityMode);
        if (!Uri.TryCreate(security.ServerUri, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("coap" or "coaps"))
        {
            throw new ArgumentException($"/0/{security.InstanceId}/0: '{security.ServerUri}' is not an absolute coap:// or coaps:// URI.", nameof(security));
        }

        bool secure = security.SecurityMode != Lwm2mSecurityMode.NoSec;
        if (secure != (uri.Scheme == "coaps"))
        {
            throw new ArgumentException(
                $"/0/{security.InstanceId}: security mode {security.SecurityMode} does not match the URI scheme '{uri.Scheme}' (NoSec needs coap://, PSK and certificate coaps://).",
                nameof(security));
        }

        if (!secure)
        {
            return await CreateUdpAsync(security.ServerUri, options, cancellationToken).ConfigureAwait(false);
        }

        DtlsClientOptions dtlsOptions = CreateDtlsOptions(security, options);
        IPEndPoint server = await ResolveAsync(uri, cancellationToken).ConfigureAwait(false);
        DtlsClientTransport dtls = DtlsClientTransport.Create(server, dtlsOptions);
        CoapEndpoint endpoint = await CoapEndpoint.StartAsync(options.WrapTransport?.Invoke(dtls) ?? dtls, options.Coap, options.Time, options.Loggers).ConfigureAwait(false);
        return new Lwm2mClientTransport(endpoint, dtls.RemoteEndPoint, security.ServerUri, dtls);
    }

    /// <summary>Maps a PSK or certificate Security instance onto DTLS client settings.</summary>
    /// <exception cref="ArgumentException">Credentials are missing or unreadable, or the mode is NoSec.</exception>
    public static DtlsClientOptions CreateDtlsOptions(Lwm2mSecurityInstance security, Lwm2mClientTransportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(security);
        options ??= new Lwm2mClientTransportOptions();
        TimeProvider time = options.Time ?? TimeProvider.System;
        var logger = options.Loggers?.CreateLogger("Tern.Coap.Dtls");
        switch (security.SecurityMode)
        {
            case Lwm2mSecurityMode.PreSharedKey:
                if (security.PublicKeyOrIdentity.IsEmpty || security.SecretKey.IsEmpty)
                {
                    throw new ArgumentException($"/0/{security.InstanceId}: PSK mode needs an identity (/0/x/3) and a key (/0/x/5).", nameof(security));
                }

                return new DtlsClientOptions
                {
                    PskIdentity = Encoding.UTF8.GetString(security.PublicKeyOrIdentity.Span),
                    PskKey = security.SecretKey.ToArray(),
                    HandshakeTimeout = options.HandshakeTimeout,
                    IdleTimeout = options.IdleTimeout,
                    TimeProvider = time,
                    Logger = logger,
                };
            case Lwm2mSecurityMode.Certificate:
                if (security.PublicKeyOrIdentity.IsEmpty || security.SecretKey.IsEmpty || security.ServerPublicKey.IsEmpty)
                {
                    throw new ArgumentException($"/0/{security.InstanceId}: certificate mode needs /0/x/3 (certificate), /0/x/4 (server certificate) and /0/x/5 (private key).", nameof(security));
                }

                var usage = (DtlsCertificateUsage)(security.CertificateUsage ?? 3);
                var host = new Uri(security.ServerUri).IdnHost;
                DtlsCertificateCredentials credentials;
                Org.BouncyCastle.X509.X509Certificate serverCertificate;
                try
                {
                    credentials = DtlsCertificateCredentials.Load(security.PublicKeyOrIdentity.Span, security.SecretKey.Span);
                    serverCertificate = DtlsCertificates.ReadCertificates(security.ServerPublicKey.Span)[0];
                }
                catch (Exception e) when (e is not (ArgumentException or OutOfMemoryException))
                {
                    // BouncyCastle reports unreadable DER/PEM with its own exception types.
                    throw new ArgumentException($"/0/{security.InstanceId}: the certificate (/0/x/3, /0/x/4) or key (/0/x/5) cannot be read: {e.Message}", nameof(security), e);
                }

                return new DtlsClientOptions
                {
                    Certificate = credentials,
                    ServerCertificate = serverCertificate,
                    CertificateUsage = usage,
                    ServerName = IPAddress.TryParse(host, out _) ? null : host,
                    HandshakeTimeout = options.HandshakeTimeout,
                    IdleTimeout = options.IdleTimeout,
                    TimeProvider = time,
                    Logger = logger,
                };
            default:
                throw new ArgumentException($"/0/{security.InstanceId}: security mode {security.SecurityMode} does not use DTLS.", nameof(security));
        }
    }

    /// <summary>
    /// Maps a server URI to the peer to send to: the account's own URI goes to <see cref="Server"/> (a DTLS transport
    /// talks to that one server only); other URIs resolve by IP literal or DNS. Pass this as the client's <c>resolvePeer</c>.
    /// </summary>
    public async ValueTask<CoapPeer> ResolvePeerAsync(string serverUri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(serverUri);
        if (_router is not null)
        {
            return await _router.ResolveAsync(serverUri, cancellationToken).ConfigureAwait(false);
        }

        return serverUri == _serverUri ? Server : new CoapPeer(await ResolveAsync(new Uri(serverUri), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Handles <see cref="Lwm2mClient.ConnectionClosed"/>: ends the DTLS session (close_notify) unless the context is to
    /// be kept, so the next exchange starts with a fresh handshake instead of a session the server may have dropped.
    /// Subscribe it with <c>client.ConnectionClosed += transport.CloseConnection</c>.
    /// </summary>
    public void CloseConnection(object? sender, Engine.Lwm2mCloseConnection close)
    {
        ArgumentNullException.ThrowIfNull(close);
        if (close.KeepContext)
        {
            return;
        }

        if (_router is not null)
        {
            _router.CloseSession(close.ServerUri);
        }
        else if (close.ServerUri == _serverUri)
        {
            _dtls?.CloseSession();
        }
    }

    /// <summary>Closes the endpoint and its socket (DTLS sends close_notify).</summary>
    public ValueTask DisposeAsync() => Endpoint.DisposeAsync();

    private static async Task<Lwm2mClientTransport> CreateUdpAsync(string? serverUri, Lwm2mClientTransportOptions options, CancellationToken cancellationToken)
    {
        UdpCoapTransport udp = await UdpCoapTransport.BindAsync(options.LocalEndPoint, cancellationToken: cancellationToken).ConfigureAwait(false);
        CoapPeer server = default;
        if (serverUri is not null)
        {
            try
            {
                server = new CoapPeer(await ResolveAsync(new Uri(serverUri), cancellationToken).ConfigureAwait(false));
            }
            catch
            {
                await udp.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        CoapEndpoint endpoint = await CoapEndpoint.StartAsync(options.WrapTransport?.Invoke(udp) ?? udp, options.Coap, options.Time, options.Loggers).ConfigureAwait(false);
        return new Lwm2mClientTransport(endpoint, server, serverUri ?? string.Empty, null);
    }

    private static async Task<IPEndPoint> ResolveAsync(Uri uri, CancellationToken cancellationToken) =>
        await CoapUris.ResolveAsync(uri, cancellationToken).ConfigureAwait(false);
}
