using System.Net;
using Tern.Coap.Transport.Udp;
using Tern.Lwm2m.Client;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Client.DataModel.Objects;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server;
using Tern.Lwm2m.Server.Operations;

namespace WaterMeter.Tests;

/// <summary>The library example in README.md, run against a Tern server on loopback so that it is known to work.</summary>
public sealed class ReadmeExampleTests
{
    // The body below is the README's "Library API" section, line for line, with the server URI as a parameter.
    internal static async Task RunReadmeExampleAsync(string serverUri)
    {
        var store = new Lwm2mObjectStore();
        _ = new Lwm2mDevice(store) { Manufacturer = "Acme", ModelNumber = "gw-1" };
        var sensor = new Lwm2mTemperatureSensor(store) { Value = 21.5 };
        var configuration = new Lwm2mClientConfiguration(
            [new Lwm2mSecurityInstance(0, serverUri, false, Lwm2mSecurityMode.NoSec) { ShortServerId = 1 }],
            [new Lwm2mServerInstance(0, 1, TimeSpan.FromMinutes(5))]);
        await using var transport = await Lwm2mClientTransport.CreateAsync(configuration);
        await using var client = new Lwm2mClient(configuration, new Lwm2mClientOptions("my-gateway"), transport.Endpoint, store, resolvePeer: transport.ResolvePeerAsync);
        await client.StartAsync();
        await foreach (Lwm2mClientEvent e in client.Events.ReadAllAsync()) { if (e is Lwm2mRegistered) break; }
        sensor.Value = 22.0;                                      // observers of /3303/0/5700 are notified
        await client.SendAsync([Lwm2mPath.Parse("/3303/0/5700")]); // LwM2M Send
        await client.StopAsync();                                 // de-registers
    }

    [Fact]
    public async Task The_readme_library_example_registers_sends_and_deregisters()
    {
        await using Lwm2mServer server = await Lwm2mServer.StartAsync(await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0)));
        var sent = new TaskCompletionSource<SendEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        var gone = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.DataReceived += (_, e) => sent.TrySetResult(e);
        server.Deregistered += (_, e) => gone.TrySetResult(e.Registration.Endpoint);

        // Run as a console program runs it, without xunit's synchronization context (the example does not use
        // ConfigureAwait). The bound is a safety net, not a pace: it finishes in well under a second on loopback.
        await Task.Run(() => RunReadmeExampleAsync($"coap://{server.LocalEndPoint}")).WaitAsync(TimeSpan.FromSeconds(60));

        SendEventArgs data = await sent.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal("my-gateway", data.Registration.Endpoint);
        Assert.Contains(data.Records, r => r.Path == Lwm2mPath.Parse("/3303/0/5700") && r.Value!.Value.AsFloat() == 22.0);
        Assert.Equal("my-gateway", await gone.Task.WaitAsync(TimeSpan.FromSeconds(60)));
    }
}
