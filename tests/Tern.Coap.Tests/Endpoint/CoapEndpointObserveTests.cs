using System.Collections.Concurrent;
using System.Text;
using Tern.Coap.Endpoint;
using Tern.Coap.Engine;
using Tern.Coap.Messages;

namespace Tern.Coap.Tests.Endpoint;

public class CoapEndpointObserveTests
{
    private static (CoapResourceServer Server, ObservableCoapResource Counter) Counter()
    {
        var counter = new ObservableCoapResource("0"u8.ToArray(), contentFormat: 0);
        return (new CoapResourceServer().Map("/counter", counter), counter);
    }

    private static ReadOnlyMemory<byte> Text(string s) => Encoding.UTF8.GetBytes(s);

    // Observes /counter, queueing each notification's payload text in the order it arrives.
    private static Task<CoapObservation> ObserveCounterAsync(EndpointFixture f, ConcurrentQueue<string> seen) =>
        f.RunAsync(f.Client.ObserveAsync(f.Server.LocalEndPoint, EndpointFixture.Get("/counter"), n =>
        {
            seen.Enqueue(n.PayloadText);
            return ValueTask.CompletedTask;
        }));

    [Fact]
    public async Task Observer_receives_every_change_in_order()
    {
        var (server, counter) = Counter();
        await using var f = await EndpointFixture.StartAsync(server);
        var seen = new ConcurrentQueue<string>();

        CoapObservation observation = await ObserveCounterAsync(f, seen);
        for (int i = 1; i <= 3; i++)
        {
            await f.RunAsync(counter.SetAsync(Text(i.ToString())));
        }

        await f.SettleAsync();
        Assert.True(observation.IsActive);
        Assert.Equal("0", observation.Response.PayloadText);
        Assert.Equal(["1", "2", "3"], seen);
    }

    [Fact]
    public async Task Confirmable_notifications_are_acknowledged_by_the_observer()
    {
        var (server, counter) = Counter();
        await using var f = await EndpointFixture.StartAsync(server);
        var seen = new ConcurrentQueue<string>();
        await ObserveCounterAsync(f, seen);

        Task set = counter.SetAsync(Text("7"), confirmable: true);
        await f.RunAsync(set);

        Assert.Equal(["7"], seen);
        Assert.Equal(1, counter.ObserverCount);
    }

    [Fact]
    public async Task Disposing_the_observation_deregisters_it_at_the_server()
    {
        var (server, counter) = Counter();
        await using var f = await EndpointFixture.StartAsync(server);
        CoapObservation observation = await f.RunAsync(f.Client.ObserveAsync(f.Server.LocalEndPoint, EndpointFixture.Get("/counter"), _ => ValueTask.CompletedTask));
        Assert.Equal(1, counter.ObserverCount);

        await f.RunAsync(observation.DisposeAsync().AsTask());

        Assert.Equal(0, counter.ObserverCount);
        Assert.False(observation.IsActive);
        Assert.True(observation.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Passive_cancel_makes_the_next_notification_bounce_and_the_server_forgets_the_observer()
    {
        var (server, counter) = Counter();
        await using var f = await EndpointFixture.StartAsync(server);
        var seen = new ConcurrentQueue<string>();
        CoapObservation observation = await ObserveCounterAsync(f, seen);

        await f.RunAsync(observation.CancelAsync(deregister: false));
        await f.RunAsync(counter.SetAsync(Text("late")));
        await f.SettleAsync();

        Assert.Empty(seen);
        Assert.Equal(0, counter.ObserverCount);
    }

    [Fact]
    public async Task Server_that_does_not_accept_returns_an_inactive_observation_with_the_response()
    {
        var server = new CoapResourceServer().Map("/plain", new CoapResource { Get = (_, _) => ValueTask.FromResult(CoapResponse.Text(CoapCode.Content, "x")) });
        await using var f = await EndpointFixture.StartAsync(server);

        CoapObservation observation = await f.RunAsync(f.Client.ObserveAsync(f.Server.LocalEndPoint, EndpointFixture.Get("/plain"), _ => ValueTask.CompletedTask));

        Assert.False(observation.IsActive);
        Assert.Equal("x", observation.Response.PayloadText);
    }

    [Fact]
    public async Task Large_notifications_arrive_whole()
    {
        var (server, counter) = Counter();
        await using var f = await EndpointFixture.StartAsync(server);
        var seen = new ConcurrentQueue<byte[]>();
        await f.RunAsync(f.Client.ObserveAsync(f.Server.LocalEndPoint, EndpointFixture.Get("/counter"), n =>
        {
            seen.Enqueue(n.Payload.ToArray());
            return ValueTask.CompletedTask;
        }));
        byte[] big = [.. Enumerable.Range(0, 3000).Select(i => (byte)(i % 251))];

        await f.RunAsync(counter.SetAsync(big));
        await f.RunUntilAsync(() => !seen.IsEmpty, TimeSpan.FromMinutes(1));

        Assert.Equal(big, Assert.Single(seen));
    }

    [Fact]
    public async Task Observation_of_an_unreachable_server_fails_with_timeout()
    {
        var (server, _) = Counter();
        await using var f = await EndpointFixture.StartAsync(server);
        f.Network.Partition(f.Client.LocalEndPoint, f.Server.LocalEndPoint);

        Task<CoapObservation> observe = f.Client.ObserveAsync(f.Server.LocalEndPoint, EndpointFixture.Get("/counter"), _ => ValueTask.CompletedTask);
        await f.RunAsync((Task)observe);

        Assert.Equal(CoapErrorKind.Timeout, (await Assert.ThrowsAsync<CoapException>(() => observe)).Kind);
    }
}
