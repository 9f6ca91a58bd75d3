using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Tern.Coap.Messages;
using Tern.Coap.Timing;

namespace Tern.Lwm2m.Server.Rest.Tests.Api;

/// <summary>
/// Requests through the REST API to a queue-mode client. The host runs on a virtual clock; the client is asleep
/// once <see cref="Lwm2mServerOptions.QueueModeAwakeTime"/> (93 s) passed since it last spoke. A request then waits
/// for the client's next Register or Update, bounded by its <c>timeout</c>; when that runs out the answer is 504.
/// </summary>
public class QueueModeApiTests : RestHostFixture
{
    private readonly WatchedClock _watched;

    public QueueModeApiTests() => _watched = new WatchedClock(Clock);

    protected override TimeProvider HostTime => _watched;

    private async Task RegisterAsleepAsync()
    {
        Assert.Equal(CoapCode.Created, await Device.RegisterAsync(Host.CoapEndPoint, "dev", queueMode: true));
        Clock.Advance(TimeSpan.FromSeconds(100));
    }

    [Fact]
    public async Task A_queue_mode_client_is_listed_as_such()
    {
        Assert.Equal(CoapCode.Created, await Device.RegisterAsync(Host.CoapEndPoint, "dev", queueMode: true));

        JsonElement client = await JsonAsync(await Http.GetAsync("/api/clients/dev"));

        Assert.True(client.GetProperty("queueMode").GetBoolean());
    }

    [Fact]
    public async Task A_read_of_a_sleeping_client_waits_and_goes_out_after_its_update()
    {
        await RegisterAsleepAsync();
        Task timerArmed = _watched.TimerArmed(TimeSpan.FromSeconds(60));

        Task<HttpResponseMessage> read = Http.GetAsync("/api/clients/dev/3/0/9?timeout=60");
        await timerArmed.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(CoapCode.Changed, await Device.UpdateAsync(Host.CoapEndPoint));
        HttpResponseMessage response = await read;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(100, (await JsonAsync(response)).GetProperty("value").GetInt64());
        Assert.Equal(["UPDATE", "GET /3/0/9"], Device.Journal);
    }

    [Fact]
    public async Task A_read_of_a_sleeping_client_that_does_not_wake_in_time_is_504_and_never_sent()
    {
        await RegisterAsleepAsync();
        Task timerArmed = _watched.TimerArmed(TimeSpan.FromSeconds(7));

        Task<HttpResponseMessage> read = Http.GetAsync("/api/clients/dev/3/0/9?timeout=7");
        await timerArmed.WaitAsync(TimeSpan.FromSeconds(30));
        Clock.Advance(TimeSpan.FromSeconds(8));

        await AssertProblemAsync(await read, HttpStatusCode.GatewayTimeout, "did not answer");
        Assert.Empty(Device.Journal);
    }

    [Fact]
    public async Task A_read_of_an_awake_queue_mode_client_goes_out_at_once()
    {
        Assert.Equal(CoapCode.Created, await Device.RegisterAsync(Host.CoapEndPoint, "dev", queueMode: true));
        Clock.Advance(TimeSpan.FromSeconds(30));

        HttpResponseMessage response = await Http.GetAsync("/api/clients/dev/3/0/9?timeout=60");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["GET /3/0/9"], Device.Journal);
    }

    /// <summary>A virtual clock that reports when a timer with a given due time is armed (the server then waits on it).</summary>
    private sealed class WatchedClock(VirtualTimeProvider inner) : TimeProvider
    {
        private readonly ConcurrentDictionary<TimeSpan, TaskCompletionSource> _armed = new();

        public Task TimerArmed(TimeSpan dueTime) => _armed.GetOrAdd(dueTime, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override long GetTimestamp() => inner.GetTimestamp();

        public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            ITimer timer = inner.CreateTimer(callback, state, dueTime, period);
            if (_armed.TryGetValue(dueTime, out TaskCompletionSource? armed))
            {
                armed.TrySetResult();
            }

            return timer;
        }
    }
}
