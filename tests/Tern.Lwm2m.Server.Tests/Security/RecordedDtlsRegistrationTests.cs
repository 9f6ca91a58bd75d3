using System.Net;
using Tern.Coap.Diagnostics;
using Tern.Coap.Dtls;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;

namespace Tern.Lwm2m.Server.Security;

/// <summary>
/// `tern server --msc` puts a recorder between the server and its sockets; the server must still see who a DTLS
/// peer proved to be, or every client with credentials would be refused as if it came over plain CoAP.
/// </summary>
public sealed class RecordedDtlsRegistrationTests
{
    private static readonly byte[] Key = Convert.FromHexString("00112233445566778899aabbccddeeff");
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_server_behind_a_recorder_still_accepts_a_psk_client_for_its_own_endpoint_and_records_the_register()
    {
        var security = new InMemorySecurityStore();
        Assert.True(security.TryPut(SecurityInfo.ForPsk("rec-dev", "rec-id", Key), out _));
        Lwm2mServerTransport transport = await Lwm2mServerTransport.BindAsync(new Lwm2mServerTransportOptions
        {
            CoapEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            CoapsEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Security = security,
            HandshakeTimeout = TimeSpan.FromSeconds(10),
        });
        var recorder = new CoapMessageRecorder();
        await using Lwm2mServer server = await Lwm2mServer.StartAsync(recorder.Wrap(transport));
        DtlsClientTransport dtls = await DtlsClientTransport.ConnectAsync(transport.CoapsEndPoint!.Value.EndPoint,
            new DtlsClientOptions { PskIdentity = "rec-id", PskKey = Key, HandshakeTimeout = TimeSpan.FromSeconds(10) });
        await using CoapEndpoint peer = await CoapEndpoint.StartAsync(dtls);

        CoapResponse response = await peer.SendAsync(transport.CoapsEndPoint!.Value, ServerFixture.Register("ep=rec-dev&lt=300", "</3/0>"), new CancellationTokenSource(Bound).Token);

        Assert.Equal(CoapCode.Created, response.Code);
        Assert.NotNull(server.Security);
        Assert.Contains(recorder.Entries, e => e.Kind == CoapTraceKind.Received && e.Message?.Code == CoapCode.Post);
    }
}
