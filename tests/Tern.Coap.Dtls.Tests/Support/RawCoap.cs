using System.Text;
using Tern.Coap.Messages;
using Tern.Coap.Transport;

namespace Tern.Coap.Dtls.Tests.Support;

/// <summary>Raw CoAP bytes for tests, built and parsed with the codec.</summary>
public static class RawCoap
{
    private static int _messageId = Random.Shared.Next(ushort.MaxValue);

    public static byte[] Get(string path, byte[]? token = null)
    {
        var message = new CoapMessage
        {
            Type = CoapMessageType.Confirmable,
            Code = CoapCode.Get,
            MessageId = (ushort)Interlocked.Increment(ref _messageId),
            Token = token ?? [0x54, 0x45],
        };
        message.SetUriPath(path);
        return CoapMessageCodec.Encode(message);
    }

    public static CoapMessage Parse(ReadOnlySpan<byte> bytes)
    {
        CoapFormatError error = CoapMessageCodec.TryDecode(bytes, out CoapMessage? message);
        Assert.Equal(CoapFormatError.None, error);
        return message!;
    }

    /// <summary>A piggybacked 2.05 response whose payload names the path asked for.</summary>
    public static byte[] ContentFor(CoapMessage request, string payload) =>
        CoapMessageCodec.Encode(new CoapMessage
        {
            Type = CoapMessageType.Acknowledgement,
            Code = CoapCode.Content,
            MessageId = request.MessageId,
            Token = request.Token,
            Payload = Encoding.UTF8.GetBytes(payload),
        });

    /// <summary>Answers every CON request on <paramref name="transport"/> with "hello &lt;path&gt;" until cancelled.</summary>
    public static async Task RespondAsync(ICoapTransport transport, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[2048];
        while (!cancellationToken.IsCancellationRequested)
        {
            CoapDatagram datagram;
            try
            {
                datagram = await transport.ReceiveAsync(buffer, cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or System.Threading.Channels.ChannelClosedException)
            {
                return;
            }

            if (CoapMessageCodec.TryDecode(buffer.AsSpan(0, datagram.Length), out CoapMessage? request) != CoapFormatError.None
                || request is null || !request.Code.IsRequest)
            {
                continue;
            }

            await transport.SendAsync(datagram.Peer, ContentFor(request, "hello " + request.UriPath), cancellationToken);
        }
    }

    /// <summary>Sends a GET over the transport and waits for the matching response.</summary>
    public static async Task<CoapMessage> RequestAsync(ICoapTransport transport, CoapPeer server, string path, CancellationToken cancellationToken)
    {
        byte[] request = Get(path);
        CoapMessage sent = Parse(request);
        await transport.SendAsync(server, request, cancellationToken);
        byte[] buffer = new byte[2048];
        while (true)
        {
            CoapDatagram datagram = await transport.ReceiveAsync(buffer, cancellationToken);
            CoapMessage response = Parse(buffer.AsSpan(0, datagram.Length));
            if (response.MessageId == sent.MessageId)
            {
                return response;
            }
        }
    }

    /// <summary>
    /// Serves raw CoAP on <paramref name="server"/>, connects one new client with <paramref name="options"/>, GETs
    /// <paramref name="path"/> and reports what each end saw of the other.
    /// </summary>
    public static async Task<DtlsFetch> FetchOverNewSessionAsync(DtlsServerTransport server, DtlsClientOptions options, string path, CancellationToken cancellationToken)
    {
        Task responder = RespondAsync(server, cancellationToken);
        await using DtlsClientTransport client = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint.EndPoint, options, cancellationToken);
        CoapMessage response = await RequestAsync(client, client.RemoteEndPoint, path, cancellationToken);
        Assert.NotNull(client.Server);
        Assert.True(server.TryGetPeerInfo(client.LocalEndPointOnLoopback(), out DtlsPeerInfo? info));
        return new DtlsFetch(Encoding.UTF8.GetString(response.Payload.Span), client.Server, info!);
    }
}

/// <summary>One GET over a new DTLS session: the response payload, the client's view of the server, the server's view of the client.</summary>
public sealed record DtlsFetch(string Payload, DtlsPeerInfo Server, DtlsPeerInfo Client);
