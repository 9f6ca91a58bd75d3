using System.Net;
using System.Net.Sockets;
using Tern.Coap.Blockwise;
using Tern.Coap.Endpoint;
using Tern.Coap.Engine;
using Tern.Coap.Messages;
using Tern.Coap.Transport;
using Tern.Coap.Transport.Udp;

namespace Tern.Lwm2m.Client.Firmware;

/// <summary>An endpoint and the peer to ask, for one CoAP download attempt.</summary>
/// <param name="Endpoint">
/// The endpoint to send from. It should be started with <see cref="CoapEngineOptions.FollowBlock2"/> false, so each
/// block comes back as it is and goes straight to storage; with true the engine reassembles the body in memory.
/// </param>
/// <param name="Peer">The server.</param>
/// <param name="OwnsEndpoint">True when the downloader disposes <paramref name="Endpoint"/> after the attempt.</param>
public sealed record CoapFirmwareConnection(CoapEndpoint Endpoint, CoapPeer Peer, bool OwnsEndpoint);

/// <summary>Opens the connection for a coap/coaps URI (a UDP socket, a DTLS session, a virtual network in tests).</summary>
/// <param name="uri">The package URI.</param>
/// <param name="cancellationToken">Stops connecting.</param>
public delegate ValueTask<CoapFirmwareConnection> CoapFirmwareConnector(Uri uri, CancellationToken cancellationToken);

/// <summary>
/// Pulls a package over CoAP with Block2 (RFC 7959), one block per request, each stored as it arrives: a 1 MB image
/// never sits in memory. Resumes at the sink's length, i.e. the block after the last one stored.
/// </summary>
public sealed class CoapFirmwareDownloader : IFirmwareDownloader
{
    private readonly CoapFirmwareConnector _connector;
    private readonly bool _secure;

    /// <summary>
    /// Plain coap over UDP (the default connector), or whatever <paramref name="connector"/> opens. Pass
    /// <paramref name="secureConnector"/> true when the connector speaks DTLS, to serve coaps URIs instead.
    /// </summary>
    /// <param name="connector">Opens the connection; null for plain UDP with a fresh socket per attempt.</param>
    /// <param name="blockSizeExponent">The block size asked for, as SZX 0–6 (default 6, 1024 bytes).</param>
    /// <param name="secureConnector">True when <paramref name="connector"/> opens DTLS sessions (scheme coaps).</param>
    public CoapFirmwareDownloader(CoapFirmwareConnector? connector = null, int blockSizeExponent = BlockOption.MaxSizeExponent, bool secureConnector = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(blockSizeExponent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(blockSizeExponent, BlockOption.MaxSizeExponent);
        if (secureConnector && connector is null)
        {
            throw new ArgumentException("coaps needs a connector that opens a DTLS session (e.g. over Tern.Coap.Dtls' DtlsClientTransport).", nameof(connector));
        }

        _connector = connector ?? ConnectUdpAsync;
        _secure = secureConnector;
        BlockSizeExponent = blockSizeExponent;
    }

    /// <summary>The block size asked for, as SZX.</summary>
    public int BlockSizeExponent { get; }

    /// <inheritdoc />
    public bool Supports(string scheme) => string.Equals(scheme, _secure ? "coaps" : "coap", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public async Task<FirmwareTransferOutcome> DownloadAsync(Uri uri, FirmwarePackageSink sink, FirmwareProgressCallback progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(progress);
        if (sink.IsComplete)
        {
            return FirmwareTransferOutcome.Completed;
        }

        CoapFirmwareConnection connection;
        try
        {
            connection = await _connector(uri, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            return new(FirmwareTransferStatus.ConnectFailed, $"cannot reach {uri.Host}: {e.Message}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A secure connector fails here when the handshake or the peer's certificate is refused.
            return _secure
                ? new(FirmwareTransferStatus.SecurityRefused, $"the secure session with {uri.Host} failed: {e.Message}")
                : new(FirmwareTransferStatus.ConnectFailed, $"cannot connect to {uri.Host}: {e.Message}");
        }

        try
        {
            return await FetchBlocksAsync(connection, uri, sink, progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (connection.OwnsEndpoint)
            {
                await connection.Endpoint.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<FirmwareTransferOutcome> FetchBlocksAsync(CoapFirmwareConnection connection, Uri uri, FirmwarePackageSink sink, FirmwareProgressCallback progress, CancellationToken cancellationToken)
    {
        int szx = BlockSizeExponent;
        while (sink.Length % BlockOption.SizeOf(szx) != 0)
        {
            szx--;
        }

        long? total = null;
        bool first = true;
        while (true)
        {
            var request = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Get };
            AddUri(request, uri);
            long offset = sink.Length;
            request.SetBlock2(new BlockOption((uint)(offset >> (szx + 4)), false, szx));
            if (first)
            {
                request.SetSize2(0);
            }

            CoapResponse response;
            try
            {
                response = await connection.Endpoint.SendAsync(connection.Peer, request, cancellationToken).ConfigureAwait(false);
            }
            catch (CoapException e) when (e.Kind is CoapErrorKind.Timeout or CoapErrorKind.Reset or CoapErrorKind.Cancelled)
            {
                return new(FirmwareTransferStatus.Interrupted, $"block at {offset}: {e.Kind} ({e.Message})");
            }
            catch (CoapException e)
            {
                return new(FirmwareTransferStatus.ProtocolError, $"block at {offset}: {e.Kind} ({e.Message})");
            }

            if (!response.IsSuccess)
            {
                return response.Code == CoapCode.NotFound
                    ? new(FirmwareTransferStatus.NotFound, $"{uri} answered 4.04 Not Found")
                    : new(response.Code.Class == 5 ? FirmwareTransferStatus.Interrupted : FirmwareTransferStatus.ProtocolError, $"{uri} answered {response.Code}");
            }

            first = false;
            BlockOptionError error = response.Message.TryGetBlock2(out BlockOption? block);
            if (error != BlockOptionError.None)
            {
                return new(FirmwareTransferStatus.ProtocolError, $"the response's Block2 option is malformed ({error})");
            }

            total = response.Message.GetSize2() is { } size ? size : total;
            FirmwareBlockStatus status = block is { } b
                ? sink.Write(b.Offset, response.Payload.Span, b.More)
                : sink.Write(0, response.Payload.Span, more: false);
            if (block is { } answered && answered.SizeExponent < szx)
            {
                szx = answered.SizeExponent;
            }

            switch (status)
            {
                case FirmwareBlockStatus.Complete:
                    progress(sink.Length, total ?? sink.Length);
                    return FirmwareTransferOutcome.Completed;
                case FirmwareBlockStatus.Stored:
                    progress(sink.Length, total);
                    break;
                case FirmwareBlockStatus.Duplicate:
                    // Asked for the block at the stored length and got one already stored: asking again would loop.
                    return new(FirmwareTransferStatus.ProtocolError, $"asked for the block at {offset}, got the one at {block?.Offset ?? 0} again");
                case FirmwareBlockStatus.Gap:
                    return new(FirmwareTransferStatus.ProtocolError, $"asked for the block at {offset}, got one at {block?.Offset}");
                case FirmwareBlockStatus.TooLarge:
                    return new(FirmwareTransferStatus.TooLarge, $"the package is larger than the {sink.MaxPackageBytes} bytes allowed");
                default:
                    return new(FirmwareTransferStatus.StorageFailed, "the package could not be written to storage");
            }
        }
    }

    private static void AddUri(CoapMessage request, Uri uri)
    {
        foreach (string segment in uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            request.AddOption(CoapOption.FromString(CoapOptionNumber.UriPath, Uri.UnescapeDataString(segment)));
        }

        foreach (string query in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            request.AddOption(CoapOption.FromString(CoapOptionNumber.UriQuery, Uri.UnescapeDataString(query)));
        }
    }

    private static async ValueTask<CoapFirmwareConnection> ConnectUdpAsync(Uri uri, CancellationToken cancellationToken)
    {
        IPEndPoint server = await CoapUris.ResolveAsync(uri, cancellationToken).ConfigureAwait(false);
        IPAddress any = server.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        UdpCoapTransport transport = await UdpCoapTransport.BindAsync(new IPEndPoint(any, 0), cancellationToken: cancellationToken).ConfigureAwait(false);
        CoapEndpoint endpoint = await CoapEndpoint.StartAsync(transport, new CoapEndpointOptions { Engine = new CoapEngineOptions { FollowBlock2 = false } }).ConfigureAwait(false);
        return new CoapFirmwareConnection(endpoint, new CoapPeer(server), OwnsEndpoint: true);
    }
}
