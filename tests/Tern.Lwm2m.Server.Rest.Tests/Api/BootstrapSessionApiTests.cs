using System.Net;
using System.Text;
using System.Text.Json;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Timing;
using Tern.Coap.Transport;
using Tern.Coap.Transport.Udp;
using Tern.Lwm2m.Formats;

namespace Tern.Lwm2m.Server.Rest.Tests.Api;

/// <summary>A bootstrap session run by a raw CoAP client over loopback UDP, watched through the REST API.</summary>
public class BootstrapSessionApiTests : RestHostFixture
{
    private const string Configuration = """
        {"discover":true,"reads":["/1"],"deletes":["/0","/1"],"writes":[
          {"path":"/1/0","resources":[{"id":0,"type":"Integer","value":101},{"id":1,"type":"Integer","value":300}]}]}
        """;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Answers a bootstrap server the way a 1.1 client with one server account would.</summary>
    private sealed class BootstrappingClient : ICoapRequestHandler
    {
        public ValueTask<CoapResponse?> HandleAsync(CoapRequestContext request, CancellationToken cancellationToken)
        {
            CoapMessage message = request.Request;
            CoapResponse response;
            if (message.Code == CoapCode.Get && message.GetUIntOption(CoapOptionNumber.Accept) == Lwm2mContentFormat.LinkFormat)
            {
                response = new CoapResponse(CoapCode.Content, "</>;lwm2m=\"1.1\",</0/0>,</1/0>"u8.ToArray()) { ContentFormat = Lwm2mContentFormat.LinkFormat };
            }
            else if (message.Code == CoapCode.Get)
            {
                response = new CoapResponse(CoapCode.Content, "[{\"bn\":\"/1/0/\",\"n\":\"0\",\"v\":7},{\"n\":\"1\",\"v\":60}]"u8.ToArray()) { ContentFormat = Lwm2mContentFormat.SenmlJson };
            }
            else
            {
                response = new CoapResponse(message.Code == CoapCode.Delete ? CoapCode.Deleted : CoapCode.Changed);
            }

            return ValueTask.FromResult<CoapResponse?>(response);
        }
    }

    private async Task<CoapCode> BootstrapAsync(string endpoint)
    {
        UdpCoapTransport transport = await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0));
        await using CoapEndpoint client = await CoapEndpoint.StartAsync(transport, new CoapEndpointOptions { Handler = new BootstrappingClient() }, new VirtualTimeProvider());
        var request = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Post }.SetUriPath("/bs");
        request.AddOption(CoapOption.FromString(CoapOptionNumber.UriQuery, $"ep={endpoint}"));
        CoapResponse answer = await client.SendAsync(new CoapPeer(Host.BootstrapEndPoint), request);
        // Stay reachable until the session is over: the caller waits for the bootstrap event before disposing.
        await SessionSeen.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return answer.Code;
    }

    private TaskCompletionSource SessionSeen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Fact]
    public async Task A_bootstrap_session_appears_on_the_event_stream_and_as_the_endpoints_last_session()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await Http.PutAsync("/api/bootstrap/dev", Json(Configuration))).StatusCode);
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using HttpResponseMessage stream = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/events"), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        Assert.Equal(": connected", await reader.ReadLineAsync(guard.Token));

        Task<CoapCode> bootstrap = BootstrapAsync("dev");
        string? line;
        while ((line = await reader.ReadLineAsync(guard.Token)) is not null && line != "event: bootstrap")
        {
        }
        JsonElement session = JsonDocument.Parse((await reader.ReadLineAsync(guard.Token))!["data: ".Length..]).RootElement.Clone();
        SessionSeen.TrySetResult();

        Assert.Equal(CoapCode.Changed, await bootstrap);
        Assert.Equal("dev", session.GetProperty("endpoint").GetString());
        Assert.True(session.GetProperty("success").GetBoolean());
        Assert.Equal(["Discover /", "Read /1", "Delete /0", "Delete /1", "Write /1/0", "Finish /"],
            session.GetProperty("steps").EnumerateArray().Select(s => $"{s.GetProperty("operation").GetString()} {s.GetProperty("path").GetString()}"));
        Assert.Equal("2.05", session.GetProperty("steps")[1].GetProperty("code").GetString());
        Assert.Equal("1.1", session.GetProperty("discovered")[0].GetProperty("attributes").GetProperty("lwm2m").GetString());
        JsonElement read = Assert.Single(session.GetProperty("read").EnumerateArray());
        Assert.Equal("/1", read.GetProperty("path").GetString());
        Assert.Contains("60", read.GetRawText(), StringComparison.Ordinal);

        JsonElement last = await JsonAsync(await Http.GetAsync("/api/bootstrap/dev/session"));
        Assert.Equal(session.GetRawText(), last.GetRawText());
    }

    [Fact]
    public async Task The_last_session_of_an_endpoint_never_bootstrapped_is_404()
    {
        await AssertProblemAsync(await Http.GetAsync("/api/bootstrap/dev/session"), HttpStatusCode.NotFound, "has not been bootstrapped");
    }

    [Theory]
    [InlineData("""{"reads":["/3"]}""", "reads:")]
    [InlineData("""{"reads":["/x"]}""", "reads:")]
    [InlineData("""{"discoverPath":"/0/1"}""", "discoverPath:")]
    public async Task Bootstrap_reads_and_discover_paths_the_specification_does_not_allow_are_400(string body, string detail)
    {
        await AssertProblemAsync(await Http.PutAsync("/api/bootstrap/dev", Json(body)), HttpStatusCode.BadRequest, detail);

        Assert.Null(await Host.Bootstrap.Store.GetAsync("dev"));
    }

    [Fact]
    public async Task Reads_and_discover_path_read_back_from_a_stored_configuration()
    {
        await Http.PutAsync("/api/bootstrap/dev", Json("""{"discover":true,"discoverPath":"/0","reads":["/1/0","/2"]}"""));

        JsonElement stored = await JsonAsync(await Http.GetAsync("/api/bootstrap/dev"));

        Assert.Equal("/0", stored.GetProperty("discoverPath").GetString());
        Assert.Equal(["/1/0", "/2"], stored.GetProperty("reads").EnumerateArray().Select(r => r.GetString()));
    }
}
