using System.Net;
using System.Text;
using System.Text.Json;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Rest.Tests.Fakes;

namespace Tern.Lwm2m.Server.Rest.Tests.Api;

public class OperationsApiTests : RestHostFixture
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Reading_a_resource_returns_its_value_with_its_type()
    {
        await RegisterAsync("dev");

        HttpResponseMessage response = await Http.GetAsync("/api/clients/dev/3/0/9");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement node = await JsonAsync(response);
        Assert.Equal("/3/0/9", node.GetProperty("path").GetString());
        Assert.Equal("Integer", node.GetProperty("type").GetString());
        Assert.Equal(100, node.GetProperty("value").GetInt64());
    }

    [Theory]
    [InlineData("tlv")]
    [InlineData("senml-json")]
    [InlineData("text")]
    public async Task Reading_in_a_named_format_gives_the_same_value(string format)
    {
        await RegisterAsync("dev");

        JsonElement node = await JsonAsync(await Http.GetAsync($"/api/clients/dev/3/0/0?format={format}"));

        Assert.Equal("Tern", node.GetProperty("value").GetString());
    }

    [Fact]
    public async Task Client_error_code_is_surfaced_as_http_status_with_the_coap_code()
    {
        await RegisterAsync("dev");

        JsonElement problem = await AssertProblemAsync(await Http.GetAsync("/api/clients/dev/3/0/77"), HttpStatusCode.NotFound, "4.04");

        Assert.Equal("4.04", problem.GetProperty("coapCode").GetString());
    }

    [Fact]
    public async Task Writing_a_resource_changes_it_on_the_client()
    {
        await RegisterAsync("dev");

        HttpResponseMessage response = await Http.PutAsync("/api/clients/dev/3/0/9", Json("""{"type":"Integer","value":42}"""));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(Lwm2mValue.FromInteger(42), Device.ValueAt(new Lwm2mPath(3, 0, 9)));
    }

    [Theory]
    [InlineData("""{"type":"Integer","value":"forty"}""", "is not a valid Integer value")]
    [InlineData("""{"type":"Number","value":1}""", "'Number' is not an LwM2M type")]
    [InlineData("""{"type":"Integer",""", "The body is not a valid node")]
    [InlineData("", "The body is empty")]
    public async Task Bad_write_bodies_are_400_and_never_reach_the_client(string body, string detail)
    {
        await RegisterAsync("dev");

        await AssertProblemAsync(await Http.PutAsync("/api/clients/dev/3/0/9", Json(body)), HttpStatusCode.BadRequest, detail);

        Assert.Equal(Lwm2mValue.FromInteger(100), Device.ValueAt(new Lwm2mPath(3, 0, 9)));
    }

    [Theory]
    [InlineData("/api/clients/dev/3/x/9", "is not an LwM2M path")]
    [InlineData("/api/clients/dev/3/0/9/1/2", "is not an LwM2M path")]
    [InlineData("/api/clients/dev/3/0/9?format=xml", "'xml' is not a content format")]
    [InlineData("/api/clients/dev/3/0/9?timeout=never", "is not a timeout")]
    public async Task Bad_requests_are_400_saying_what_is_wrong(string url, string detail)
    {
        await RegisterAsync("dev");

        await AssertProblemAsync(await Http.GetAsync(url), HttpStatusCode.BadRequest, detail);
    }

    [Fact]
    public async Task Execute_reaches_the_client_with_its_arguments()
    {
        await RegisterAsync("dev");

        HttpResponseMessage response = await Http.PostAsync("/api/clients/dev/3/0/4", new StringContent("0='now'"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal([(new Lwm2mPath(3, 0, 4), "0='now'")], Device.Executions);
    }

    [Fact]
    public async Task A_client_that_does_not_answer_gives_504()
    {
        await RegisterAsync("dev");

        Task<HttpResponseMessage> pending = Http.GetAsync($"/api/clients/dev{FakeLwm2mClient.SilentPath}?timeout=5");
        await Device.SilentRequestArrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Clock.Advance(TimeSpan.FromSeconds(6));

        await AssertProblemAsync(await pending, HttpStatusCode.GatewayTimeout, "did not answer");
    }

    [Fact]
    public async Task Get_on_observe_is_405()
    {
        await RegisterAsync("dev");

        await AssertProblemAsync(await Http.GetAsync("/api/clients/dev/3/0/9/observe"), HttpStatusCode.MethodNotAllowed, "GET is not defined");
    }
}
