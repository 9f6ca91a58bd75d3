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
}
