using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Transport.Udp;
using Tern.Coap.Transport;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Client.Hosting;
using Tern.Lwm2m.Client.Tests.Driver;
using Tern.Lwm2m.Model;

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
    public async Task Hosted_client_with_a_store_advertises_and_serves_its_data_model()
    {
        var fake = new FakeServer();
        var recorder = new PeerRecorder(fake);
        await using var server = await CoapEndpoint.StartAsync(
            await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0)), new CoapEndpointOptions { Handler = recorder });
        var store = new Lwm2mObjectStore();
        store.AddObject(3);
        store.CreateInstance(3, 0);
        store.SetValue(new Lwm2mPath(3, 0, 0), "Tern Devices");
        var services = new ServiceCollection().AddTernClient(o =>
        {
            o.LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 0);
            o.Client = new Lwm2mClientOptions("hosted-3");
            o.Store = store;
            o.Configuration = new Lwm2mClientConfiguration(
                [new Lwm2mSecurityInstance(0, $"coap://{server.LocalEndPoint}", false, Lwm2mSecurityMode.NoSec) { ShortServerId = 1 }],
                [new Lwm2mServerInstance(0, 1, TimeSpan.FromSeconds(300))]);
        });
        var hosted = (TernClientHostedService)Assert.Single(services, d => d.ServiceType == typeof(IHostedService)).ImplementationFactory!(new NoServices());

        await hosted.StartAsync(CancellationToken.None);
        var client = hosted.Client!;
        while (await client.Events.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)) is not Lwm2mRegistered)
        {
        }

        Assert.Same(store, client.DataModel);
        Assert.Contains("</3/0>", System.Text.Encoding.UTF8.GetString(Assert.Single(fake.Of(CoapCode.Post, "/rd")).Request.Payload.Span), StringComparison.Ordinal);
        var read = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Get };
        foreach (var segment in new[] { "3", "0", "0" })
        {
            read.AddOption(CoapOption.FromString(CoapOptionNumber.UriPath, segment));
        }

        read.AddOption(CoapOption.FromUInt(CoapOptionNumber.Accept, 0));
        var answer = await server.SendAsync(recorder.LastPeer!.Value, read).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(CoapCode.Content, answer.Code);
        Assert.Equal("Tern Devices", answer.PayloadText);
        await hosted.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
    }

    [Fact]
    public async Task A_corrupted_state_file_is_reported_and_the_hosted_client_starts_from_the_factory_configuration()
    {
        var fake = new FakeServer();
        await using var server = await CoapEndpoint.StartAsync(
            await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0)), new CoapEndpointOptions { Handler = fake });
        using var state = new Tern.Lwm2m.Client.Tests.Firmware.TempDirectory();
        await File.WriteAllTextAsync(new Lwm2mStateStore(state.Path).FilePath, "TERN-STATE 1 5 00\n{}");
        var services = new ServiceCollection().AddTernClient(o =>
        {
            o.LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 0);
            o.Client = new Lwm2mClientOptions("hosted-4");
            o.StateDirectory = state.Path;
            o.Configuration = new Lwm2mClientConfiguration(
                [new Lwm2mSecurityInstance(0, $"coap://{server.LocalEndPoint}", false, Lwm2mSecurityMode.NoSec) { ShortServerId = 1 }],
                [new Lwm2mServerInstance(0, 1, TimeSpan.FromSeconds(300))]);
        });
        var hosted = (TernClientHostedService)Assert.Single(services, d => d.ServiceType == typeof(IHostedService)).ImplementationFactory!(new NoServices());

        await hosted.StartAsync(CancellationToken.None);
        var client = hosted.Client!;
        var first = await client.Events.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains("not usable", Assert.IsType<Lwm2mStateCorrupted>(first).Error, StringComparison.Ordinal);
        while (await client.Events.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)) is not Lwm2mRegistered)
        {
        }

        await hosted.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        Assert.Single(fake.Of(CoapCode.Post, "/rd"));
    }

    [Fact]
    public async Task A_corrupted_state_file_without_a_factory_configuration_stops_the_hosted_client_from_starting()
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

    private sealed class PeerRecorder(FakeServer inner) : ICoapRequestHandler
    {
        public CoapPeer? LastPeer { get; private set; }

        public ValueTask<CoapResponse?> HandleAsync(CoapRequestContext request, CancellationToken cancellationToken)
        {
            LastPeer = request.Peer;
            return inner.HandleAsync(request, cancellationToken);
        }
    }
}
