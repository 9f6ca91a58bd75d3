using System.Net;
using System.Text.Json;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Server.Rest.Tests.Api;

public class ObserveApiTests : RestHostFixture
{
    private static readonly Lwm2mPath Battery = new(3, 0, 9);

    [Fact]
    public async Task Starting_an_observation_returns_the_first_value_and_an_id()
    {
        await RegisterAsync("dev");

        HttpResponseMessage response = await Http.PostAsync("/api/clients/dev/3/0/9/observe", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement body = await JsonAsync(response);
        Assert.True(body.GetProperty("active").GetBoolean());
        Assert.Equal(JsonValueKind.Number, body.GetProperty("observationId").ValueKind);
        Assert.Equal(100, body.GetProperty("content").GetProperty("value").GetInt64());
        Assert.True(Device.IsObserved(Battery));
    }

    [Fact]
    public async Task Notifications_appear_on_the_event_stream()
    {
        await RegisterAsync("dev");
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using HttpResponseMessage stream = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/events"), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        Assert.Equal(": connected", await reader.ReadLineAsync(guard.Token));
        Assert.Equal(HttpStatusCode.OK, (await Http.PostAsync("/api/clients/dev/3/0/9/observe", null)).StatusCode);

        await Device.NotifyAsync(Battery, Lwm2mValue.FromInteger(55));

        string? line;
        while ((line = await reader.ReadLineAsync(guard.Token)) is not null && line != "event: notification")
        {
        }
        string data = (await reader.ReadLineAsync(guard.Token))!["data: ".Length..];
        JsonElement notification = JsonDocument.Parse(data).RootElement;
        Assert.Equal("dev", notification.GetProperty("endpoint").GetString());
        Assert.Equal("/3/0/9", notification.GetProperty("path").GetString());
        Assert.Equal(55, notification.GetProperty("content").GetProperty("value").GetInt64());
    }

    [Fact]
    public async Task Cancelling_an_observation_ends_it_on_the_client()
    {
        await RegisterAsync("dev");
        Assert.Equal(HttpStatusCode.OK, (await Http.PostAsync("/api/clients/dev/3/0/9/observe", null)).StatusCode);

        HttpResponseMessage response = await Http.DeleteAsync("/api/clients/dev/3/0/9/observe");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.False(Device.IsObserved(Battery));
    }

    [Fact]
    public async Task Cancelling_an_observation_that_does_not_exist_is_404()
    {
        await RegisterAsync("dev");

        await AssertProblemAsync(await Http.DeleteAsync("/api/clients/dev/3/0/9/observe"), HttpStatusCode.NotFound, "no running observation");
    }
}
