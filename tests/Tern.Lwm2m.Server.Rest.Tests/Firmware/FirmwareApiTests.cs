using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Tern.Lwm2m.Server.Rest.Events;
using Tern.Lwm2m.Server.Rest.Tests.Api;

namespace Tern.Lwm2m.Server.Rest.Tests.Firmware;

public class FirmwareApiTests : RestHostFixture
{
    private static ByteArrayContent Image(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return new ByteArrayContent(bytes);
    }

    private async Task<FotaFakeDevice> RegisterDeviceAsync(string endpoint)
    {
        FotaFakeDevice device = await FotaFakeDevice.StartAsync();
        Assert.Equal(Tern.Coap.Messages.CoapCode.Created, await device.RegisterAsync(Host.CoapEndPoint, endpoint));
        return device;
    }

    [Fact]
    public async Task Starting_an_update_of_an_unknown_endpoint_is_404()
    {
        await AssertProblemAsync(await Http.PostAsync("/api/clients/ghost/firmware?method=push", Image(100)), HttpStatusCode.NotFound, "ghost");
    }

    [Fact]
    public async Task An_empty_image_is_400()
    {
        await using FotaFakeDevice device = await RegisterDeviceAsync("fw-dev");
        await AssertProblemAsync(await Http.PostAsync("/api/clients/fw-dev/firmware?method=push", new ByteArrayContent([])), HttpStatusCode.BadRequest, "empty");
    }

    [Theory]
    [InlineData("method=fax", "fax")]
    [InlineData("method=pull&protocol=ftp", "ftp")]
    [InlineData("method=push&protocol=coap", "pull only")]
    [InlineData("autoUpdate=maybe", "maybe")]
    public async Task Bad_query_values_are_400_naming_the_value(string query, string detail)
    {
        await using FotaFakeDevice device = await RegisterDeviceAsync("fw-dev");
        await AssertProblemAsync(await Http.PostAsync($"/api/clients/fw-dev/firmware?{query}", Image(100)), HttpStatusCode.BadRequest, detail);
    }

    [Fact]
    public async Task An_image_larger_than_the_limit_is_413()
    {
        await using FotaFakeDevice device = await RegisterDeviceAsync("fw-dev");
        HttpResponseMessage response = await Http.PostAsync("/api/clients/fw-dev/firmware?method=push", new ByteArrayContent(new byte[TernServerApi.MaxFirmwareBytes + 1]));
        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "larger");
    }

    [Fact]
    public async Task A_client_without_object_5_is_409_with_the_reason()
    {
        await RegisterAsync("no-fw");
        JsonElement problem = await AssertProblemAsync(await Http.PostAsync("/api/clients/no-fw/firmware?method=pull", Image(100)), HttpStatusCode.Conflict, "object 5");
        Assert.Equal("NoFirmwareObject", problem.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Status_cancel_and_update_without_an_update_are_404()
    {
        await using FotaFakeDevice device = await RegisterDeviceAsync("fw-dev");
        await AssertProblemAsync(await Http.GetAsync("/api/clients/fw-dev/firmware"), HttpStatusCode.NotFound, "fw-dev");
        await AssertProblemAsync(await Http.DeleteAsync("/api/clients/fw-dev/firmware"), HttpStatusCode.NotFound, "fw-dev");
        await AssertProblemAsync(await Http.PostAsync("/api/clients/fw-dev/firmware/update", null), HttpStatusCode.NotFound, "fw-dev");
    }

    [Fact]
    public async Task An_unknown_image_id_is_404()
    {
        await AssertProblemAsync(await Http.GetAsync("/fw/0011223344556677"), HttpStatusCode.NotFound, "0011223344556677");
    }

    [Fact]
    public async Task An_http_pull_writes_the_image_uri_serves_ranges_and_refuses_a_second_update_and_a_cancel()
    {
        await using FotaFakeDevice device = await RegisterDeviceAsync("fw-dev");
        var bytes = new byte[5000];
        new Random(7).NextBytes(bytes);
        using ServerEventHub.Subscription events = Host.Events.Subscribe();

        HttpResponseMessage started = await Http.PostAsync("/api/clients/fw-dev/firmware?method=pull&protocol=http", new ByteArrayContent(bytes));

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        JsonElement status = await JsonAsync(started);
        Assert.Equal(("pull", 5000), (status.GetProperty("method").GetString(), status.GetProperty("imageBytes").GetInt32()));
        string uri = await device.PackageUri.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(status.GetProperty("packageUri").GetString(), uri);
        Assert.StartsWith(Host.HttpAddress.AbsoluteUri + "fw/", uri, StringComparison.Ordinal);

        using var ranged = new HttpRequestMessage(HttpMethod.Get, uri);
        ranged.Headers.Range = new RangeHeaderValue(1000, 1999);
        HttpResponseMessage part = await Http.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(bytes.AsSpan(1000, 1000).ToArray(), await part.Content.ReadAsByteArrayAsync());
        Assert.Equal(bytes, await Http.GetByteArrayAsync(uri));

        JsonElement second = await AssertProblemAsync(await Http.PostAsync("/api/clients/fw-dev/firmware?method=push", Image(10)), HttpStatusCode.Conflict, "already");
        Assert.Equal("AlreadyInProgress", second.GetProperty("reason").GetString());
        JsonElement cancel = await AssertProblemAsync(await Http.DeleteAsync("/api/clients/fw-dev/firmware"), HttpStatusCode.Conflict, "/5/0/10");
        Assert.Equal("CancelNotSupported", cancel.GetProperty("reason").GetString());
        await AssertProblemAsync(await Http.PostAsync("/api/clients/fw-dev/firmware/update", null), HttpStatusCode.Conflict, "Downloaded");
        Assert.Equal(status.GetProperty("id").GetString(), (await JsonAsync(await Http.GetAsync("/api/clients/fw-dev/firmware"))).GetProperty("id").GetString());

        ServerEvent first = await NextFirmwareEventAsync(events);
        using JsonDocument data = JsonDocument.Parse(first.Data);
        Assert.Equal(("started", "fw-dev", uri), (data.RootElement.GetProperty("event").GetString(), data.RootElement.GetProperty("endpoint").GetString(), data.RootElement.GetProperty("packageUri").GetString()));
    }

    [Fact]
    public async Task A_push_writes_the_uploaded_image_to_5_0_0()
    {
        await using FotaFakeDevice device = await RegisterDeviceAsync("fw-dev");
        var bytes = new byte[3000];
        new Random(8).NextBytes(bytes);

        HttpResponseMessage started = await Http.PostAsync("/api/clients/fw-dev/firmware?method=push", new ByteArrayContent(bytes));

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal(bytes, await device.Package.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private static async Task<ServerEvent> NextFirmwareEventAsync(ServerEventHub.Subscription events)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            ServerEvent e = await events.Events.ReadAsync(bound.Token);
            if (e.Name == TernServerApi.EventNames.Firmware)
            {
                return e;
            }
        }
    }
}
