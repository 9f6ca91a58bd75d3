using Tern.Coap.Engine;

namespace Tern.Coap.Tests.Engine;

public class CoapTransmissionOptionsTests
{
    [Fact]
    public void Defaults_derive_the_rfc_7252_time_spans()
    {
        CoapTransmissionOptions t = CoapTransmissionOptions.Default;

        Assert.Equal(TimeSpan.FromSeconds(45), t.MaxTransmitSpan);
        Assert.Equal(TimeSpan.FromSeconds(93), t.MaxTransmitWait);
        Assert.Equal(TimeSpan.FromSeconds(202), t.MaxRtt);
        Assert.Equal(TimeSpan.FromSeconds(247), t.ExchangeLifetime);
        Assert.Equal(TimeSpan.FromSeconds(145), t.NonLifetime);
    }

    [Fact]
    public void Invalid_values_are_refused_with_a_message_naming_the_parameter()
    {
        var ack = Assert.Throws<ArgumentOutOfRangeException>(() => new CoapTransmissionOptions { AckTimeout = TimeSpan.Zero });
        var factor = Assert.Throws<ArgumentOutOfRangeException>(() => new CoapTransmissionOptions { AckRandomFactor = 0.5 });
        var retransmit = Assert.Throws<ArgumentOutOfRangeException>(() => new CoapTransmissionOptions { MaxRetransmit = -1 });
        var token = Assert.Throws<ArgumentOutOfRangeException>(() => new CoapEngineOptions { TokenLength = 9 });

        Assert.Contains("ACK_TIMEOUT", ack.Message);
        Assert.Contains("ACK_RANDOM_FACTOR", factor.Message);
        Assert.Contains("MAX_RETRANSMIT", retransmit.Message);
        Assert.Contains("token", token.Message);
    }

    [Fact]
    public void Response_timeout_defaults_to_max_transmit_wait_of_the_configured_parameters()
    {
        var options = new CoapEngineOptions { Transmission = new CoapTransmissionOptions { AckTimeout = TimeSpan.FromSeconds(1), MaxRetransmit = 2 } };

        // 1 s × (2^3 − 1) × 1.5
        Assert.Equal(TimeSpan.FromSeconds(10.5), options.ResponseTimeout);
    }
}
