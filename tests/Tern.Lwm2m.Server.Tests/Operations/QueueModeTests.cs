using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Server.Operations;

public class QueueModeTests
{
    private static readonly TimeSpan AwakeTime = TimeSpan.FromSeconds(30);

    private static async Task<(ServerFixture F, FakeClient Client, string Location)> SleepingClientAsync(string query = "ep=sleepy&lwm2m=1.1&Q")
    {
        ServerFixture f = await ServerFixture.StartAsync(new Lwm2mServerOptions { QueueModeAwakeTime = AwakeTime });
        FakeClient client = await f.AddClientAsync(request => request.Code == CoapCode.Get
            ? new CoapResponse(CoapCode.Content, "Acme"u8.ToArray()) { ContentFormat = Lwm2mContentFormat.Text }
            : new CoapResponse(CoapCode.Changed));
        CoapResponse created = await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, ServerFixture.Register(query, "</>;rt=\"oma.lwm2m\";ct=0,</3/0>")));
        string location = "/" + string.Join('/', created.Options.Where(o => o.Number == CoapOptionNumber.LocationPath).Select(o => o.GetString()));

        // Past the awake time the client is asleep.
        await f.Network.RunForAsync(AwakeTime + TimeSpan.FromSeconds(1));
        return (f, client, location);
    }

    private static CoapMessage Update(string location) => new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Post }.SetUriPath(location);

    [Fact]
    public async Task Requests_for_a_sleeping_client_wait_for_its_update_then_go_out_in_order()
    {
        var (f, client, location) = await SleepingClientAsync();
        await using var _ = f;

        Task<ReadResult> read = f.Server.ReadAsync("sleepy", Lwm2mPath.Parse("/3/0/0"), timeout: TimeSpan.FromMinutes(10));
        Task<Lwm2mResult> execute = f.Server.ExecuteAsync("sleepy", Lwm2mPath.Parse("/3/0/4"), timeout: TimeSpan.FromMinutes(10));
        Task<Lwm2mResult> write = f.Server.WriteAsync("sleepy", Lwm2mPath.Parse("/3/0/14"), new Lwm2mSingleResource(14, Lwm2mValue.FromString("+01")), timeout: TimeSpan.FromMinutes(10));
        await f.Network.RunForAsync(TimeSpan.FromMinutes(2));
        Assert.Empty(client.Received);
        Assert.False(read.IsCompleted || execute.IsCompleted || write.IsCompleted);

        await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, Update(location)));
        await f.RunAsync(Task.WhenAll(read, execute, write));

        Assert.True((await read).IsSuccess, (await read).ToString());
        Assert.True((await execute).IsSuccess);
        Assert.True((await write).IsSuccess);
        Assert.Equal(["GET /3/0/0", "POST /3/0/4", "PUT /3/0/14"], client.Received.Select(r => $"{(r.Code == CoapCode.Get ? "GET" : r.Code == CoapCode.Post ? "POST" : "PUT")} {r.UriPath}"));
    }

    [Fact]
    public async Task Request_for_a_client_that_never_wakes_times_out_at_its_own_timeout()
    {
        var (f, client, _) = await SleepingClientAsync();
        await using var __ = f;
        DateTimeOffset start = f.Clock.GetUtcNow();

        ReadResult result = await f.RunAsync(f.Server.ReadAsync("sleepy", Lwm2mPath.Parse("/3/0/0"), timeout: TimeSpan.FromSeconds(45)));

        Assert.Equal(Lwm2mResultStatus.Timeout, result.Status);
        Assert.Equal(start + TimeSpan.FromSeconds(45), f.Clock.GetUtcNow());
        Assert.Empty(client.Received);
    }

    [Fact]
    public async Task Timed_out_request_does_not_block_the_ones_queued_behind_it()
    {
        var (f, client, location) = await SleepingClientAsync();
        await using var _ = f;

        Task<ReadResult> impatient = f.Server.ReadAsync("sleepy", Lwm2mPath.Parse("/3/0/0"), timeout: TimeSpan.FromSeconds(10));
        Task<Lwm2mResult> patient = f.Server.ExecuteAsync("sleepy", Lwm2mPath.Parse("/3/0/4"), timeout: TimeSpan.FromMinutes(10));
        await f.Network.RunForAsync(TimeSpan.FromSeconds(20));
        await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, Update(location)));
        await f.RunAsync(patient);

        Assert.Equal(Lwm2mResultStatus.Timeout, (await impatient).Status);
        Assert.True((await patient).IsSuccess);
        Assert.Equal(["/3/0/4"], client.Received.Select(r => r.UriPath));
    }

    [Fact]
    public async Task Request_for_a_queue_mode_client_that_just_spoke_goes_out_at_once()
    {
        var (f, client, location) = await SleepingClientAsync();
        await using var _ = f;
        await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, Update(location)));
        DateTimeOffset start = f.Clock.GetUtcNow();

        Lwm2mResult result = await f.RunAsync(f.Server.ExecuteAsync("sleepy", Lwm2mPath.Parse("/3/0/4")));

        Assert.True(result.IsSuccess);
        Assert.True(f.Clock.GetUtcNow() - start < TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Waiting_request_ends_not_registered_when_the_client_deregisters()
    {
        var (f, client, location) = await SleepingClientAsync();
        await using var _ = f;

        Task<ReadResult> read = f.Server.ReadAsync("sleepy", Lwm2mPath.Parse("/3/0/0"), timeout: TimeSpan.FromMinutes(10));
        await f.Network.RunForAsync(TimeSpan.FromSeconds(5));
        await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, new CoapMessage { Code = CoapCode.Delete }.SetUriPath(location)));
        ReadResult result = await f.RunAsync(read);

        Assert.Equal(Lwm2mResultStatus.NotRegistered, result.Status);
        Assert.Empty(client.Received);
    }

    [Fact]
    public async Task Client_without_queue_mode_is_sent_to_at_any_time()
    {
        var (f, client, _) = await SleepingClientAsync("ep=awake&lwm2m=1.1");
        await using var __ = f;

        Lwm2mResult result = await f.RunAsync(f.Server.ExecuteAsync("awake", Lwm2mPath.Parse("/3/0/4")));

        Assert.True(result.IsSuccess);
        Assert.Single(client.Received);
    }
}
