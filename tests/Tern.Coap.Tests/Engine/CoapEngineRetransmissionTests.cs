using Tern.Coap.Engine;
using Tern.Coap.Messages;

namespace Tern.Coap.Tests.Engine;

/// <summary>CON retransmission on the harness clock (RFC 7252 §4.2, §4.8).</summary>
public class CoapEngineRetransmissionTests
{
    // CON GET sent at 0; no ACK ever. With jitter 0 the timeouts are exactly 2, 4, 8, 16, 32 s:
    // sends at 0, 2, 6, 14, 30 s and failure at 62 s.
    [Fact]
    public void Confirmable_request_is_retransmitted_with_doubling_timeout_then_fails()
    {
        var h = new EngineHarness(jitter: 0.0);

        long id = h.SendRequest(EngineHarness.Get("/t"));
        h.Advance(TimeSpan.FromSeconds(61.999));
        Assert.Empty(h.TakeEvents());
        h.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal([0.0, 2, 6, 14, 30], h.SendLog.Select(s => s.At.TotalSeconds));
        Assert.Single(h.SendLog.Select(s => s.Hex).Distinct());
        var failed = h.TakeSingle<CoapExchangeFailed>();
        Assert.Equal((id, CoapErrorKind.Timeout), (failed.ExchangeId, failed.Kind));
        Assert.Equal(0, h.Engine.PendingExchangeCount);
        Assert.Null(h.Engine.NextWakeUp);
    }

    // With the largest jitter the first timeout approaches ACK_TIMEOUT × ACK_RANDOM_FACTOR = 3 s, and the
    // whole exchange MAX_TRANSMIT_WAIT = 93 s.
    [Fact]
    public void First_timeout_with_full_jitter_is_ack_timeout_times_random_factor()
    {
        var h = new EngineHarness(jitter: 1.0);

        h.SendRequest(EngineHarness.Get("/t"));
        h.Advance(TimeSpan.FromSeconds(100));

        Assert.Equal([0.0, 3, 9, 21, 45], h.SendLog.Select(s => s.At.TotalSeconds));
        Assert.Equal(CoapTransmissionOptions.Default.MaxTransmitWait, TimeSpan.FromSeconds(93));
        var failed = h.TakeSingle<CoapExchangeFailed>();
        Assert.Equal(CoapErrorKind.Timeout, failed.Kind);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(0.999)]
    public void First_timeout_lies_between_ack_timeout_and_ack_timeout_times_random_factor(double jitter)
    {
        var h = new EngineHarness(jitter: jitter);

        h.SendRequest(EngineHarness.Get("/t"));
        h.Advance(TimeSpan.FromSeconds(4));

        TimeSpan first = h.SendLog[1].At;
        Assert.InRange(first, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3));
        Assert.Equal(TimeSpan.FromSeconds(2 + jitter), first);
    }

    [Fact]
    public void Configured_parameters_change_timeouts_and_retransmission_count()
    {
        var options = new CoapEngineOptions
        {
            Transmission = new CoapTransmissionOptions { AckTimeout = TimeSpan.FromSeconds(1), AckRandomFactor = 1.0, MaxRetransmit = 2 },
        };
        var h = new EngineHarness(options);

        h.SendRequest(EngineHarness.Get("/t"));
        h.Advance(TimeSpan.FromSeconds(10));

        // Timeouts 1, 2, 4 s: sends at 0, 1, 3 s and failure at 7 s.
        Assert.Equal([0.0, 1, 3], h.SendLog.Select(s => s.At.TotalSeconds));
        Assert.Equal(CoapErrorKind.Timeout, h.TakeSingle<CoapExchangeFailed>().Kind);
    }

    [Fact]
    public void Ack_stops_retransmission()
    {
        var h = new EngineHarness(firstMessageId: 0x1000);

        h.SendRequest(EngineHarness.Get("/t", tokenHex: "01"));
        h.Advance(TimeSpan.FromSeconds(2));
        h.Receive("61 45 1000 01");
        h.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(2, h.SendLog.Count);
    }

    [Fact]
    public void No_response_after_an_empty_ack_fails_with_timeout_after_the_response_timeout()
    {
        var options = new CoapEngineOptions { ResponseTimeout = TimeSpan.FromSeconds(20) };
        var h = new EngineHarness(options, firstMessageId: 0x1000);

        long id = h.SendRequest(EngineHarness.Get("/t", tokenHex: "01"));
        h.Receive("60 00 1000");
        h.Advance(TimeSpan.FromSeconds(19));
        Assert.Empty(h.TakeEvents());
        h.Advance(TimeSpan.FromSeconds(1));

        var failed = h.TakeSingle<CoapExchangeFailed>();
        Assert.Equal((id, CoapErrorKind.Timeout), (failed.ExchangeId, failed.Kind));
        Assert.Single(h.SendLog);
    }

    [Fact]
    public void Separate_confirmable_response_is_retransmitted_until_acknowledged()
    {
        var h = new EngineHarness(firstMessageId: 0x2000);

        h.Receive("41 01 0001 77");
        long id = h.TakeSingle<CoapRequestReceived>().RequestId;
        h.Do((e, now) => e.Acknowledge(id, now));
        h.ExpectSent("60 00 0001");
        h.Respond(id, new CoapMessage { Code = CoapCode.Changed });
        h.Advance(TimeSpan.FromSeconds(2));
        h.Receive("60 00 2000");
        h.Advance(TimeSpan.FromMinutes(1));

        h.ExpectSent("41 44 2000 77", "41 44 2000 77");
        Assert.IsType<CoapExchangeCompleted>(Assert.Single(h.TakeEvents()));
    }
}
