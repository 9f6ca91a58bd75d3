using System.Net;
using Tern.Coap.Dtls;
using Tern.Coap.Endpoint;
using Tern.Coap.Engine;
using Tern.Coap.Transport;
using Tern.Lwm2m.Client;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Firmware;

namespace Tern.Cli.Commands.Shell;

/// <summary>
/// coaps Package URIs for <c>tern client</c>: each attempt opens its own DTLS session to the package's host with the
/// credentials the client already holds for its servers (the <c>--psk-*</c> or <c>--cert</c> options, or what a
/// bootstrap server provisioned). The account whose URI names the package's host and port is preferred, then the first
/// secure LwM2M server account, then a secure bootstrap account.
/// </summary>
internal static class CoapsFirmwarePull
{
    /// <summary>A downloader for coaps URIs that asks <paramref name="accounts"/> for the client's credentials at each attempt.</summary>
    /// <param name="accounts">The client's current accounts (they may change with a bootstrap); null before the client exists.</param>
    /// <param name="time">The clock of the DTLS handshake.</param>
    public static CoapFirmwareDownloader Create(Func<Lwm2mClientConfiguration?> accounts, TimeProvider time) =>
        new((uri, cancellationToken) => ConnectAsync(uri, accounts(), time, cancellationToken), secureConnector: true);

    /// <summary>The secure account whose credentials open a session to <paramref name="packageUri"/>'s host; null when the client has none.</summary>
    /// <param name="configuration">The client's accounts.</param>
    /// <param name="packageUri">The coaps Package URI.</param>
    public static Lwm2mSecurityInstance? ChooseCredentials(Lwm2mClientConfiguration? configuration, Uri packageUri)
    {
        ArgumentNullException.ThrowIfNull(packageUri);
        Lwm2mSecurityInstance[] secure = [.. configuration?.Securities.Where(s => s.SecurityMode != Lwm2mSecurityMode.NoSec) ?? []];
        return secure.FirstOrDefault(s => SameAuthority(s.ServerUri, packageUri))
            ?? secure.FirstOrDefault(s => !s.IsBootstrapServer)
            ?? secure.FirstOrDefault();
    }

    private static async ValueTask<CoapFirmwareConnection> ConnectAsync(Uri uri, Lwm2mClientConfiguration? configuration, TimeProvider time, CancellationToken cancellationToken)
    {
        Lwm2mSecurityInstance security = ChooseCredentials(configuration, uri) ?? throw new InvalidOperationException(
            "the client has no DTLS credentials for a coaps package; start tern client with --psk-identity/--psk-key or --cert/--key/--server-cert");
        DtlsClientOptions options = Lwm2mClientTransport.CreateDtlsOptions(security, new Lwm2mClientTransportOptions { Time = time });
        IPEndPoint server = await CoapUris.ResolveAsync(uri, cancellationToken).ConfigureAwait(false);
        DtlsClientTransport transport = await DtlsClientTransport.ConnectAsync(server, options, cancellationToken).ConfigureAwait(false);
        // Blocks go to storage one by one, so the endpoint must not reassemble the body itself.
        CoapEndpoint endpoint = await CoapEndpoint.StartAsync(transport, new CoapEndpointOptions { Engine = new CoapEngineOptions { FollowBlock2 = false } }, time).ConfigureAwait(false);
        return new CoapFirmwareConnection(endpoint, transport.RemoteEndPoint, OwnsEndpoint: true);
    }

    private static bool SameAuthority(string serverUri, Uri packageUri) =>
        Uri.TryCreate(serverUri, UriKind.Absolute, out Uri? server)
        && string.Equals(server.IdnHost, packageUri.IdnHost, StringComparison.OrdinalIgnoreCase)
        && CoapUris.PortOf(server) == CoapUris.PortOf(packageUri);
}
