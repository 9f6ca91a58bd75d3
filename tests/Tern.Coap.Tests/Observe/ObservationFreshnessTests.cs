using Tern.Coap.Observe;
using Tern.Coap.Timing;

namespace Tern.Coap.Tests.Observe;

public class ObservationFreshnessTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(5u, 6u, true)]
    [InlineData(6u, 5u, false)]
    [InlineData(5u, 5u, false)]
    // V2 − V1 just under 2^23 is newer; at 2^23 it is not (strict inequality).
    [InlineData(0u, 0x7FFFFFu, true)]
    [InlineData(0u, 0x800000u, false)]
    // V1 − V2 just over 2^23 means V2 wrapped around: newer. Exactly 2^23 is not.
    [InlineData(0x800001u, 0u, true)]
    [InlineData(0x800000u, 0u, false)]
    [InlineData(0xFFFFFFu, 0u, true)]
    [InlineData(0xFFFFF0u, 3u, true)]
    [InlineData(3u, 0xFFFFF0u, false)]
    public void Sequence_window_of_two_to_the_twenty_three_decides_order(uint v1, uint v2, bool newer) =>
        Assert.Equal(newer, ObservationFreshness.IsNewer(v1, T0, v2, T0 + TimeSpan.FromSeconds(1)));

    [Fact]
    public void Notification_more_than_128_seconds_later_is_newer_whatever_its_number()
    {
        Assert.False(ObservationFreshness.IsNewer(100, T0, 50, T0 + TimeSpan.FromSeconds(128)));
        Assert.True(ObservationFreshness.IsNewer(100, T0, 50, T0 + TimeSpan.FromSeconds(128) + TimeSpan.FromTicks(1)));
        Assert.True(ObservationFreshness.IsNewer(100, T0, 100, T0 + TimeSpan.FromSeconds(129)));
    }

    [Fact]
    public void Tracker_drops_reordered_and_duplicate_notifications_and_delivers_newer_ones()
    {
        var clock = new VirtualTimeProvider(T0);
        var freshness = new ObservationFreshness(clock);

        Assert.True(freshness.ShouldDeliver(10));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(freshness.ShouldDeliver(12));
        Assert.False(freshness.ShouldDeliver(11));
        Assert.False(freshness.ShouldDeliver(12));
        Assert.Equal(12u, freshness.LastSequence);

        clock.Advance(TimeSpan.FromSeconds(200));
        Assert.True(freshness.ShouldDeliver(11));
        Assert.Equal(11u, freshness.LastSequence);
    }

    [Fact]
    public void Tracker_follows_the_sequence_across_the_24_bit_wrap()
    {
        var clock = new VirtualTimeProvider(T0);
        var freshness = new ObservationFreshness(clock);
        uint value = 0xFFFFF0;
        Assert.True(freshness.ShouldDeliver(value));
        for (int i = 0; i < 40; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(10));
            value = (value + 1) & 0xFFFFFF;
            Assert.True(freshness.ShouldDeliver(value), $"value {value:X6} should be newer");
        }

        Assert.Equal(0x000018u, freshness.LastSequence);
        Assert.False(freshness.ShouldDeliver(0xFFFFFA));
    }

    [Fact]
    public void Reset_makes_the_next_notification_deliverable()
    {
        var freshness = new ObservationFreshness(new VirtualTimeProvider(T0));
        Assert.True(freshness.ShouldDeliver(500));
        Assert.False(freshness.ShouldDeliver(400));

        freshness.Reset();

        Assert.Null(freshness.LastSequence);
        Assert.True(freshness.ShouldDeliver(400));
    }
}
