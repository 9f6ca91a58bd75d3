using System.Net;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Transport.Udp;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Operations;

namespace Tern.Lwm2m.Server;

public class LoopbackUdpTests
{
    [Fact]
    public async Task Client_registers_and_is_read_over_loopback_udp()
    {
        await using Lwm2mServer server = await Lwm2mServer.StartAsync(await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0)));
        var fake = new FakeClient(_ => new CoapResponse(CoapCode.Content, "Tern"u8.ToArray()) { ContentFormat = Lwm2mContentFormat.Text });
        await using CoapEndpoint client = await CoapEndpoint.StartAsync(await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0)), new CoapEndpointOptions { Handler = fake });
        fake.Endpoint = client;

        // Real time and real sockets: the bounds are safety nets against a hang, not a pace.
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        CoapResponse created = await client.SendAsync(server.LocalEndPoint, ServerFixture.Register("ep=udp&lwm2m=1.1", "</>;rt=\"oma.lwm2m\";ct=0,</3/0>"), limit.Token);
        ReadResult read = await server.ReadAsync("udp", Lwm2mPath.Parse("/3/0/0"), format: Lwm2mContentFormat.Text, cancellationToken: limit.Token);

        Assert.Equal(CoapCode.Created, created.Code);
        Assert.True(read.IsSuccess, read.ToString());
        Assert.Equal(new Lwm2mSingleResource(0, Lwm2mValue.FromString("Tern")), read.Node);
    }
}
