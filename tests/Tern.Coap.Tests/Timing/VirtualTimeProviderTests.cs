using Tern.Coap.Timing;

namespace Tern.Coap.Tests.Timing;

public class VirtualTimeProviderTests
{
    [Fact]
    public void Timers_fire_in_due_order_with_the_clock_at_their_due_time()
    {
        var clock = new VirtualTimeProvider();
        DateTimeOffset start = clock.GetUtcNow();
        var fired = new List<(string Name, TimeSpan At)>();
        using ITimer late = clock.CreateTimer(_ => fired.Add(("late", clock.GetUtcNow() - start)), null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
        using ITimer early = clock.CreateTimer(_ => fired.Add(("early", clock.GetUtcNow() - start)), null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal([("early", TimeSpan.FromSeconds(2)), ("late", TimeSpan.FromSeconds(5))], fired);
        Assert.Equal(start + TimeSpan.FromSeconds(10), clock.GetUtcNow());
    }

    [Fact]
    public void Periodic_timer_fires_once_per_period_until_disposed()
    {
        var clock = new VirtualTimeProvider();
        int count = 0;
        ITimer timer = clock.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        clock.Advance(TimeSpan.FromSeconds(3.5));
        timer.Dispose();
        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(3, count);
        Assert.Null(clock.NextTimerDue);
    }

    [Fact]
    public void Timer_changed_before_it_falls_due_fires_at_its_new_time()
    {
        var clock = new VirtualTimeProvider();
        DateTimeOffset start = clock.GetUtcNow();
        DateTimeOffset? firedAt = null;
        using ITimer timer = clock.CreateTimer(_ => firedAt = clock.GetUtcNow(), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        timer.Change(TimeSpan.FromSeconds(7), Timeout.InfiniteTimeSpan);
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Null(firedAt);
        clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(start + TimeSpan.FromSeconds(7), firedAt);
    }

    [Fact]
    public async Task Task_delay_on_the_virtual_clock_completes_only_when_the_clock_passes_it()
    {
        var clock = new VirtualTimeProvider();
        Task delay = Task.Delay(TimeSpan.FromHours(24), clock);

        clock.Advance(TimeSpan.FromHours(23));
        Assert.False(delay.IsCompleted);
        clock.Advance(TimeSpan.FromHours(1));

        await delay.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(delay.IsCompletedSuccessfully);
    }

    [Fact]
    public void Moving_the_clock_backwards_is_refused()
    {
        var clock = new VirtualTimeProvider();
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.AdvanceTo(clock.GetUtcNow() - TimeSpan.FromSeconds(1)));
    }
}
