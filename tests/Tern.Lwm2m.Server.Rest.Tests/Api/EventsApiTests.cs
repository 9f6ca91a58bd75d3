using System.Text.Json;

namespace Tern.Lwm2m.Server.Rest.Tests.Api;

public class EventsApiTests : RestHostFixture
{
    [Fact]
    public async Task Event_stream_shows_a_registration()
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        using HttpResponseMessage response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal(": connected", await reader.ReadLineAsync(guard.Token));
        Assert.Equal("", await reader.ReadLineAsync(guard.Token));

        await RegisterAsync("sse-dev");

        Assert.Equal("event: registration", await reader.ReadLineAsync(guard.Token));
        string? data = await reader.ReadLineAsync(guard.Token);
        Assert.NotNull(data);
        Assert.StartsWith("data: ", data, StringComparison.Ordinal);
        JsonElement client = JsonDocument.Parse(data["data: ".Length..]).RootElement;
        Assert.Equal("sse-dev", client.GetProperty("endpoint").GetString());
    }
}
