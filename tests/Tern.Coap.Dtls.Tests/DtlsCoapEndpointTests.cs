using Tern.Coap.Dtls.Tests.Support;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;

namespace Tern.Coap.Dtls.Tests;

/// <summary>The unchanged CoAP endpoint (engine + driver) running over the DTLS transports on loopback.</summary>
public sealed class DtlsCoapEndpointTests
{
    [Fact]
    public async Task Coap_endpoint_gets_and_puts_block_wise_over_dtls()
    {
        using var bound = Loopback.SafetyBound();
        byte[] stored = [];
        var resources = new CoapResourceServer()
            .Map("/hello", new CoapResource { Get = (_, _) => ValueTask.FromResult(CoapResponse.Text(CoapCode.Content, "over dtls")) })
            .Map("/blob", new CoapResource
            {
                Get = (_, _) => ValueTask.FromResult(new CoapResponse(CoapCode.Content, stored)),
                Put = (r, _) =>
                {
                    stored = r.Request.Payload.ToArray();
                    return ValueTask.FromResult(new CoapResponse(CoapCode.Changed));
                },
            });
        await using DtlsServerTransport serverTransport = DtlsPskTests.StartServer();
        await using CoapEndpoint server = await CoapEndpoint.StartAsync(serverTransport, new CoapEndpointOptions { Handler = resources });
        await using DtlsClientTransport clientTransport = await DtlsClientTransport.ConnectAsync(serverTransport.LocalEndPoint.EndPoint, DtlsPskTests.ClientOptions(), bound.Token);
        await using CoapEndpoint client = await CoapEndpoint.StartAsync(clientTransport);
        byte[] body = [.. Enumerable.Range(0, 5000).Select(i => (byte)(i * 13))];

        CoapResponse hello = await client.SendAsync(clientTransport.RemoteEndPoint, new CoapMessage { Code = CoapCode.Get }.SetUriPath("/hello"), bound.Token);
        CoapResponse put = await client.SendAsync(clientTransport.RemoteEndPoint, new CoapMessage { Code = CoapCode.Put, Payload = body }.SetUriPath("/blob"), bound.Token);
        CoapResponse get = await client.SendAsync(clientTransport.RemoteEndPoint, new CoapMessage { Code = CoapCode.Get }.SetUriPath("/blob"), bound.Token);

        Assert.Equal("over dtls", hello.PayloadText);
        Assert.Equal(CoapCode.Changed, put.Code);
        Assert.Equal(body, stored);
        Assert.Equal(body, get.Payload.ToArray());
    }
}
