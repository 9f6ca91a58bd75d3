using System.Text;

namespace Tern.Coap.Dtls.Tests.Support;

/// <summary>
/// Runs a handshake through a <see cref="LossyRelay"/> that drops, once each, the server's first datagram carrying
/// a chosen handshake message and its first datagram carrying CCS + Finished, then asks one CoAP request over the
/// session. The caller checks what the server sent.
/// </summary>
internal static class LostFlights
{
    /// <summary>Content code of a datagram with ChangeCipherSpec (record type 20), as <see cref="RawDtls.Contents"/> writes it.</summary>
    public const int ChangeCipherSpec = 20 * 1000;

    /// <returns>The response text, whether both drops happened, and the contents of every datagram the server sent.</returns>
    public static async Task<(string Response, bool BothDropped, List<List<int>> FromServer)> RunAsync(
        DtlsServerTransport server, DtlsClientOptions client, int flightMessage, string path, CancellationToken cancellationToken)
    {
        _ = RawCoap.RespondAsync(server, cancellationToken); // ends with the token
        bool flightDropped = false, finishedDropped = false;
        await using var relay = new LossyRelay(server.LocalEndPoint.EndPoint, (toServer, datagram, _) =>
        {
            if (toServer)
            {
                return false;
            }

            List<int> contents = RawDtls.Contents(datagram);
            if (!flightDropped && contents.Contains(flightMessage))
            {
                return flightDropped = true;
            }

            if (!finishedDropped && contents.Contains(ChangeCipherSpec))
            {
                return finishedDropped = true;
            }

            return false;
        });

        await using DtlsClientTransport transport = await DtlsClientTransport.ConnectAsync(relay.EndPoint, client, cancellationToken);
        var response = await RawCoap.RequestAsync(transport, transport.RemoteEndPoint, path, cancellationToken);
        lock (relay.Log)
        {
            return (Encoding.UTF8.GetString(response.Payload.Span), flightDropped && finishedDropped,
                [.. relay.Log.Where(e => !e.ToServer).Select(e => RawDtls.Contents(e.Datagram))]);
        }
    }
}
