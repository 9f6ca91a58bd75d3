using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Transport.Udp;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Client.Hosting;
using Tern.Lwm2m.Client.Tests.Driver;

namespace Tern.Lwm2m.Client.Tests.Hosting;

public class TernClientHostingTests
{
    private sealed class NoServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }

    [Fact]
    public void AddTernClient_refuses_options_without_an_endpoint_name()
    {
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddTernClient(_ => { }));
    }

    [Fact]
    public async Task Hosted_client_registers_over_loopback_udp_and_deregisters_on_stop()
    {
        var fake = new FakeServer();
        await using var server = await CoapEndpoint.StartAsync(
            await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0)), new CoapEndpointOptions { Handler = fake });
        var services = new ServiceCollection().AddTernClient(o =>
        {
            o.LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 0);
            o.Client = new Lwm2mClientOptions("hosted-1");
            o.Configuration = new Lwm2mClientConfiguration(
                [new Lwm2mSecurityInstance(0, $"coap://{server.LocalEndPoint}", false, Lwm2mSecurityMode.NoSec) { ShortServerId = 1 }],
                [new Lwm2mServerInstance(0, 1, TimeSpan.FromSeconds(300))]);
        });
        var descriptor = Assert.Single(services, d => d.ServiceType == typeof(IHostedService));
        var hosted = (TernClientHostedService)descriptor.ImplementationFactory!(new NoServices());

        await hosted.StartAsync(CancellationToken.None);
        var client = hosted.Client!;
        // Real sockets: the bound is a safety net against a hang, not a pace.
        while (await client.Events.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)) is not Lwm2mRegistered)
        {
        }

        await hosted.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        Assert.Single(fake.Of(CoapCode.Post, "/rd"));
        Assert.Single(fake.Of(CoapCode.Delete, "/rd/7"));
    }

    [Fact]
    public async Task A_corrupted_state_file_stops_the_hosted_client_from_starting()
    {
        var directory = Path.Combine(Path.GetTempPath(), "tern-host-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            await File.WriteAllTextAsync(new Lwm2mStateStore(directory).FilePath, "TERN-STATE 1 5 00\n{}");
            var services = new ServiceCollection().AddTernClient(o =>
            {
                o.Client = new Lwm2mClientOptions("hosted-2");
                o.StateDirectory = directory;
            });
            var hosted = (IHostedService)services.Single(d => d.ServiceType == typeof(IHostedService)).ImplementationFactory!(new NoServices());
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => hosted.StartAsync(CancellationToken.None));
            Assert.Contains("not usable", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
