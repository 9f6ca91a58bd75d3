using Tern.Coap.Endpoint;
using Tern.Coap.Messages;

namespace Tern.Coap.Tests.Endpoint;

public class CoapEndpointHandlerTests
{
    private static CoapResourceServer Answering(string text) =>
        new CoapResourceServer().Map("/who", new CoapResource { Get = (_, _) => ValueTask.FromResult(CoapResponse.Text(CoapCode.Content, text)) });

    [Fact]
    public async Task A_handler_set_on_a_running_endpoint_serves_the_next_request()
    {
        await using var f = await EndpointFixture.StartAsync(Answering("first"));

        CoapResponse before = await f.RunAsync(f.Client.SendAsync(f.Server.LocalEndPoint, EndpointFixture.Get("/who")));
        f.Server.SetRequestHandler(Answering("second"));
        CoapResponse after = await f.RunAsync(f.Client.SendAsync(f.Server.LocalEndPoint, EndpointFixture.Get("/who")));

        Assert.Equal("first", before.PayloadText);
        Assert.Equal("second", after.PayloadText);
    }

    [Fact]
    public async Task Setting_a_null_handler_answers_not_found_even_when_the_options_named_one()
    {
        await using var f = await EndpointFixture.StartAsync(Answering("first"));

        f.Server.SetRequestHandler(null);
        CoapResponse response = await f.RunAsync(f.Client.SendAsync(f.Server.LocalEndPoint, EndpointFixture.Get("/who")));

        Assert.Equal(CoapCode.NotFound, response.Code);
    }

    [Fact]
    public async Task An_endpoint_started_without_a_handler_serves_once_one_is_set()
    {
        await using var f = await EndpointFixture.StartAsync(null);

        CoapResponse before = await f.RunAsync(f.Client.SendAsync(f.Server.LocalEndPoint, EndpointFixture.Get("/who")));
        f.Server.SetRequestHandler(Answering("late"));
        CoapResponse after = await f.RunAsync(f.Client.SendAsync(f.Server.LocalEndPoint, EndpointFixture.Get("/who")));

        Assert.Equal(CoapCode.NotFound, before.Code);
        Assert.Equal("late", after.PayloadText);
    }
}
