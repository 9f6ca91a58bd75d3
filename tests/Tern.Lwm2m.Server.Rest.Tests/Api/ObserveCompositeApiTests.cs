using System.Net;
using System.Text;
using System.Text.Json;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Server.Rest.Tests.Api;

public class ObserveCompositeApiTests : RestHostFixture
{
    private const string Route = "/api/clients/dev/composite/observe";
    private const string BothPaths = """{"paths":["/3/0/9","/1/0/1"]}""";

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private Task<HttpResponseMessage> DeleteAsync(string body) =>
        Http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, Route) { Content = Json(body) });

    [Fact]
    public async Task Starting_a_composite_observation_returns_the_first_records_and_an_id()
    {
        await RegisterAsync("dev");

        HttpResponseMessage response = await Http.PostAsync(Route, Json(BothPaths));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement body = await JsonAsync(response);
        Assert.True(body.GetProperty("active").GetBoolean());
        Assert.Equal(JsonValueKind.Number, body.GetProperty("observationId").ValueKind);
        Assert.Equal(["/3/0/9", "/1/0/1"], body.GetProperty("paths").EnumerateArray().Select(p => p.GetString()));
        var values = body.GetProperty("records").EnumerateArray().ToDictionary(r => r.GetProperty("path").GetString()!, r => r.GetProperty("value").GetInt64());
        Assert.Equal(new Dictionary<string, long> { ["/3/0/9"] = 100, ["/1/0/1"] = 300 }, values);
        Assert.Equal(1, Device.CompositeObservationCount);
    }

    [Fact]
    public async Task Composite_notifications_appear_on_the_event_stream_with_their_records()
    {
        await RegisterAsync("dev");
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using HttpResponseMessage stream = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/events"), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        Assert.Equal(": connected", await reader.ReadLineAsync(guard.Token));
        Assert.Equal(HttpStatusCode.OK, (await Http.PostAsync(Route, Json(BothPaths))).StatusCode);

        await Device.NotifyCompositeAsync(new Lwm2mPath(3, 0, 9), Lwm2mValue.FromInteger(42));

        string? line;
        while ((line = await reader.ReadLineAsync(guard.Token)) is not null && line != "event: notification")
        {
        }
        JsonElement notification = JsonDocument.Parse((await reader.ReadLineAsync(guard.Token))!["data: ".Length..]).RootElement;
        Assert.Equal("dev", notification.GetProperty("endpoint").GetString());
        Assert.Equal(["/3/0/9", "/1/0/1"], notification.GetProperty("paths").EnumerateArray().Select(p => p.GetString()));
        var values = notification.GetProperty("records").EnumerateArray().ToDictionary(r => r.GetProperty("path").GetString()!, r => r.GetProperty("value").GetInt64());
        Assert.Equal(new Dictionary<string, long> { ["/3/0/9"] = 42, ["/1/0/1"] = 300 }, values);
    }

    [Fact]
    public async Task Cancelling_a_composite_observation_ends_it_on_the_client()
    {
        await RegisterAsync("dev");
        Assert.Equal(HttpStatusCode.OK, (await Http.PostAsync(Route, Json(BothPaths))).StatusCode);

        HttpResponseMessage response = await DeleteAsync("""{"paths":["/1/0/1","/3/0/9"]}""");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(0, Device.CompositeObservationCount);
        Assert.Empty(Host.Server.GetObservations("dev"));
    }

    [Fact]
    public async Task Cancelling_a_composite_observation_of_other_paths_is_404_and_keeps_it()
    {
        await RegisterAsync("dev");
        Assert.Equal(HttpStatusCode.OK, (await Http.PostAsync(Route, Json(BothPaths))).StatusCode);

        await AssertProblemAsync(await DeleteAsync("""{"paths":["/3/0/9"]}"""), HttpStatusCode.NotFound, "no running composite observation");

        Assert.Equal(1, Device.CompositeObservationCount);
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"paths":[]}""")]
    [InlineData("""{"paths":["/3/0/9"],"records":[]}""")]
    public async Task Bad_composite_observe_bodies_are_400(string body)
    {
        await RegisterAsync("dev");

        await AssertProblemAsync(await Http.PostAsync(Route, Json(body)), HttpStatusCode.BadRequest, "Send {\"paths\":[...]}");
    }

    [Fact]
    public async Task Composite_observation_of_an_unknown_endpoint_is_404()
    {
        await AssertProblemAsync(await Http.PostAsync("/api/clients/ghost/composite/observe", Json(BothPaths)), HttpStatusCode.NotFound, "ghost");
    }
}
