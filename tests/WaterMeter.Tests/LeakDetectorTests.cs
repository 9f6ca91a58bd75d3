namespace WaterMeter.Tests;

public sealed class LeakDetectorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly LeakDetectorOptions Options = new() { SuspectAfter = TimeSpan.FromMinutes(10), DetectAfter = TimeSpan.FromMinutes(30) };

    private static DateTimeOffset Min(int minutes) => T0.AddMinutes(minutes);

    [Fact]
    public void Flow_that_never_stops_is_suspected_then_detected_at_the_thresholds()
    {
        var detector = new LeakDetector(Options);
        var seen = new List<(int Minute, LeakStatus Status)>();
        for (int m = 0; m < 40; m += 5)
        {
            if (detector.Observe(Min(m), Min(m + 5), 0.00002))
            {
                seen.Add((m + 5, detector.Status));
            }
        }

        Assert.Equal([(10, LeakStatus.Suspected), (30, LeakStatus.Detected)], seen);
        Assert.Equal(Min(0), detector.FlowingSince);
    }

    [Fact]
    public void One_period_with_the_water_stopped_clears_a_detected_leak()
    {
        var detector = new LeakDetector(Options);
        Assert.True(detector.Observe(Min(0), Min(20), 0.001));
        Assert.Equal(LeakStatus.Suspected, detector.Status);
        Assert.True(detector.Observe(Min(20), Min(40), 0.001));
        Assert.Equal(LeakStatus.Detected, detector.Status);

        Assert.True(detector.Observe(Min(40), Min(41), 0));

        Assert.Equal(LeakStatus.None, detector.Status);
        Assert.Null(detector.FlowingSince);
    }

    [Fact]
    public void Back_flow_is_not_taken_for_a_leak()
    {
        var detector = new LeakDetector(Options);
        for (int m = 0; m < 60; m += 5)
        {
            detector.Observe(Min(m), Min(m + 5), -0.001);
        }

        Assert.Equal(LeakStatus.None, detector.Status);
    }

    [Fact]
    public void Household_use_that_stops_at_least_every_few_periods_is_never_a_leak()
    {
        // Seeded random use: the tap runs for one or two five-minute periods, then stays closed for one.
        var random = new Random(3424);
        var detector = new LeakDetector(Options);
        DateTimeOffset t = T0;
        for (int burst = 0; burst < 500; burst++)
        {
            int running = random.Next(1, 3);
            for (int p = 0; p < running; p++)
            {
                detector.Observe(t, t.AddMinutes(5), 0.0001 + (random.NextDouble() * 0.0003));
                t = t.AddMinutes(5);
                Assert.NotEqual(LeakStatus.Detected, detector.Status);
            }

            detector.Observe(t, t.AddMinutes(5), 0);
            t = t.AddMinutes(5);
            Assert.Equal(LeakStatus.None, detector.Status);
        }
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_flow_that_is_not_a_number_is_refused(double flow)
    {
        var detector = new LeakDetector(Options);
        Assert.Throws<ArgumentException>(() => detector.Observe(Min(0), Min(1), flow));
    }

    [Fact]
    public void A_period_that_ends_before_it_starts_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new LeakDetector(Options).Observe(Min(5), Min(0), 0.001));
    }

    [Fact]
    public void Detection_before_suspicion_is_an_invalid_setting()
    {
        Assert.Throws<ArgumentException>(() => new LeakDetector(new LeakDetectorOptions { SuspectAfter = TimeSpan.FromHours(2), DetectAfter = TimeSpan.FromHours(1) }));
    }
}
