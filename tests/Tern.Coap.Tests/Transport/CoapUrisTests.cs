using System.Net;
using Tern.Coap.Transport;

namespace Tern.Coap.Tests.Transport;

public class CoapUrisTests
{
    [Theory]
    [InlineData("coap://10.0.0.1", 5683)]
    [InlineData("coaps://10.0.0.1", 5684)]
    [InlineData("COAPS://10.0.0.1/fw", 5684)]
    [InlineData("coap://10.0.0.1:15683", 15683)]
    [InlineData("coaps://10.0.0.1:5683", 5683)]
    public void A_uri_without_a_port_takes_its_schemes_default(string uri, int port) => Assert.Equal(port, CoapUris.PortOf(new Uri(uri)));

    [Fact]
    public async Task An_address_literal_resolves_without_dns_ipv4_and_ipv6()
    {
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.7"), 5684), await CoapUris.ResolveAsync(new Uri("coaps://192.0.2.7")));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::1"), 61616), await CoapUris.ResolveAsync(new Uri("coap://[2001:db8::1]:61616/x")));
    }

    [Fact]
    public async Task Localhost_resolves_to_a_loopback_address_with_the_default_port()
    {
        IPEndPoint resolved = await CoapUris.ResolveAsync(new Uri("coap://localhost"));

        Assert.True(IPAddress.IsLoopback(resolved.Address));
        Assert.Equal(5683, resolved.Port);
    }
}
