namespace Tern.Lwm2m.Server.Rest.Tests.Api;

/// <summary>The DTLS settings of <see cref="TernServerHost"/>: the bootstrap server's listener and the idle timeout.</summary>
public class HostDtlsOptionsTests
{
    [Fact]
    public async Task A_bootstrap_coaps_port_gives_the_bootstrap_server_a_dtls_listener_with_its_own_store()
    {
        var bootstrapSecurity = new Security.InMemorySecurityStore();
        await using TernServerHost host = await TernServerHost.StartAsync(new TernServerHostOptions
        {
            CoapPort = 0, BootstrapPort = 0, HttpPort = 0, CoapsPort = 0, BootstrapCoapsPort = 0, BootstrapSecurity = bootstrapSecurity,
        });

        Assert.NotNull(host.BootstrapCoapsEndPoint);
        Assert.NotEqual(host.CoapsEndPoint!.Port, host.BootstrapCoapsEndPoint!.Port);
        Assert.NotNull(host.BootstrapTransport.Dtls);
        Assert.Same(bootstrapSecurity, host.BootstrapSecurity);
        Assert.Same(bootstrapSecurity, host.Bootstrap.Security);
        Assert.NotSame(host.Security, host.BootstrapSecurity);
    }

    [Fact]
    public async Task Without_a_bootstrap_coaps_port_the_bootstrap_server_speaks_plain_coap_only()
    {
        await using TernServerHost host = await TernServerHost.StartAsync(new TernServerHostOptions { CoapPort = 0, BootstrapPort = 0, HttpPort = 0 });

        Assert.Null(host.BootstrapCoapsEndPoint);
        Assert.Null(host.BootstrapTransport.Dtls);
        Assert.NotEqual(0, host.BootstrapEndPoint.Port);
    }

    [Fact]
    public void A_non_positive_dtls_idle_timeout_is_refused()
    {
        var options = new TernServerHostOptions { DtlsIdleTimeout = TimeSpan.Zero };

        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);

        Assert.Equal(nameof(TernServerHostOptions.DtlsIdleTimeout), error.ParamName);
    }
}
