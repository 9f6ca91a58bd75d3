using System.Net;
using System.Text;
using System.Text.Json;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Server.Rest.Tests.Api;

public class CompositeAndSendApiTests : RestHostFixture
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Composite_read_returns_typed_records_for_every_path()
    {
        await RegisterAsync("dev");

        HttpResponseMessage response = await Http.PostAsync("/api/clients/dev/composite", Json("""{"paths":["/3/0/9","/1/0/1"]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement records = (await JsonAsync(response)).GetProperty("records");
        var byPath = records.EnumerateArray().ToDictionary(r => r.GetProperty("path").GetString()!, r => r.GetProperty("value").GetInt64());
        Assert.Equal(new Dictionary<string, long> { ["/3/0/9"] = 100, ["/1/0/1"] = 300 }, byPath);
        Assert.All(records.EnumerateArray(), r => Assert.Equal("Integer", r.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task Composite_write_changes_every_record_on_the_client()
    {
        await RegisterAsync("dev");

        HttpResponseMessage response = await Http.PostAsync("/api/clients/dev/composite",
            Json("""{"records":[{"path":"/3/0/9","type":"Integer","value":7},{"path":"/1/0/1","type":"Integer","value":900}]}"""));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(Lwm2mValue.FromInteger(7), Device.ValueAt(new Lwm2mPath(3, 0, 9)));
        Assert.Equal(Lwm2mValue.FromInteger(900), Device.ValueAt(new Lwm2mPath(1, 0, 1)));
    }

    [Theory]
    [InlineData("""{}""", "Send either")]
    [InlineData("""{"paths":["/3/0/9"],"records":[]}""", "Send either")]
    [InlineData("""{"paths":["/3/zero"]}""", "is not an LwM2M path")]
    [InlineData("""{"records":[{"path":"/3/0","type":"Integer","value":1}]}""", "is not a resource or resource instance path")]
    [InlineData("""{"records":[{"path":"/3/0/9","type":"Integer","value":true}]}""", "/3/0/9: true is not a valid Integer value")]
    public async Task Bad_composite_bodies_are_400(string body, string detail)
    {
        await RegisterAsync("dev");

        await AssertProblemAsync(await Http.PostAsync("/api/clients/dev/composite", Json(body)), HttpStatusCode.BadRequest, detail);
    }

    [Fact]
    public async Task Send_from_a_client_appears_on_the_event_stream()
    {
        await RegisterAsync("dev");
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using HttpResponseMessage stream = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/events"), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        Assert.Equal(": connected", await reader.ReadLineAsync(guard.Token));

        Assert.Equal(Tern.Coap.Messages.CoapCode.Changed, await Device.SendAsync(Host.CoapEndPoint, [new Lwm2mRecord(new Lwm2mPath(3303, 0, 5700), Lwm2mValue.FromFloat(21.5))]));

        string? line;
        while ((line = await reader.ReadLineAsync(guard.Token)) is not null && line != "event: send")
        {
        }
        JsonElement sent = JsonDocument.Parse((await reader.ReadLineAsync(guard.Token))!["data: ".Length..]).RootElement;
        Assert.Equal("dev", sent.GetProperty("endpoint").GetString());
        JsonElement record = Assert.Single(sent.GetProperty("records").EnumerateArray());
        Assert.Equal("/3303/0/5700", record.GetProperty("path").GetString());
        Assert.Equal(21.5, record.GetProperty("value").GetDouble());
    }
}
