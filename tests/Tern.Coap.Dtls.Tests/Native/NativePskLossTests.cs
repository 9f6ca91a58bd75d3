using System.Text;
using Tern.Coap.Dtls.Tests.Support;

namespace Tern.Coap.Dtls.Tests.Native;

/// <summary>
/// Lost flights: the client's retransmitted flight makes the native server send its own flight again, so the handshake
/// completes. The BouncyCastle client retransmits on its own real-time timer (1 s); nothing here waits on a clock.
/// </summary>
public sealed class NativePskLossTests
{
    [Fact]
    public async Task Handshake_completes_when_the_servers_hello_flight_and_its_finished_flight_are_each_lost_once()
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = DtlsPskTests.StartServer();

        (string response, bool bothDropped, List<List<int>> fromServer) = await LostFlights.RunAsync(server, DtlsPskTests.ClientOptions(), 2, "lossy", bound.Token);

        Assert.Equal("hello /lossy", response);
        Assert.True(bothDropped);
        // Lower bounds only: on a loaded machine the client's real-time timer may repeat a flight more than once.
        Assert.True(fromServer.Count(c => c.Contains(2)) >= 2);          // ServerHello flight again: on the client's repeat and/or the server's timer
        Assert.True(fromServer.Count(c => c.Contains(LostFlights.ChangeCipherSpec)) >= 2);  // CCS + Finished again, on the client's repeated flight
    }

    [Fact]
    public async Task A_hello_verify_request_arriving_twice_with_distinct_record_numbers_does_not_stall_the_client()
    {
        // A client whose first ClientHello is retransmitted gets two HelloVerifyRequests (record sequence 0 and 1).
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = DtlsPskTests.StartServer();
        bool duplicated = false;
        await using var relay = new LossyRelay(server.LocalEndPoint.EndPoint, (_, _, _) => false, datagram =>
        {
            if (duplicated || RawDtls.FirstHandshakeType(datagram) != 3)
            {
                return null;
            }

            duplicated = true;
            byte[] copy = (byte[])datagram.Clone();
            copy[10]++; // the answer to the retransmitted hello carries that hello's record sequence number
            return copy;
        });

        await using DtlsClientTransport client = await DtlsClientTransport.ConnectAsync(relay.EndPoint, DtlsPskTests.ClientOptions(), bound.Token);

        Assert.True(duplicated);
        Assert.Equal(1, client.HandshakeCount); // completed; before the fix the client ignored every ServerHello until its deadline
    }

    [Fact]
    public async Task Abbreviated_handshake_and_the_first_request_survive_losing_the_clients_change_cipher_spec()
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = DtlsPskTests.StartServer();
        Task responder = RawCoap.RespondAsync(server, bound.Token);
        bool armed = false, dropped = false;
        await using var relay = new LossyRelay(server.LocalEndPoint.EndPoint, (toServer, datagram, _) =>
        {
            // Once armed, the first client datagram with a ChangeCipherSpec belongs to the final flight of the abbreviated
            // handshake (BouncyCastle sends the CCS and the Finished in separate datagrams, then at once the request).
            if (toServer && Volatile.Read(ref armed) && !dropped && RawDtls.Contents(datagram).Contains(20 * 1000))
            {
                return dropped = true;
            }

            return false;
        });
        await using DtlsClientTransport client = await DtlsClientTransport.ConnectAsync(relay.EndPoint, DtlsPskTests.ClientOptions(), bound.Token);
        client.CloseSession();
        Volatile.Write(ref armed, true);

        var response = await RawCoap.RequestAsync(client, client.RemoteEndPoint, "resumed-lossy", bound.Token);

        Assert.Equal("hello /resumed-lossy", Encoding.UTF8.GetString(response.Payload.Span));
        Assert.True(dropped);
        Assert.True(client.LastHandshakeResumed);
        Assert.Equal(1, server.SessionsResumed);
    }
}
