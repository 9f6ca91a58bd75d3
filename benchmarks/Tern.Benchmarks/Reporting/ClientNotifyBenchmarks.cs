using System.Net;
using BenchmarkDotNet.Attributes;
using Tern.Coap.Endpoint;
using Tern.Coap.Transport;
using Tern.Coap.Transport.Udp;
using Tern.Lwm2m.Client;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Client.DataModel.Objects;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server;

namespace Tern.Benchmarks.Reporting;

/// <summary>
/// The whole client path of one notification in steady state: the application sets an observed value
/// (<see cref="Lwm2mObjectStore.SetValue(Lwm2mPath, double)"/>), the store tells the reporter, the client's loop
/// steps it, encodes the notification and the CoAP endpoint hands the datagram to the transport. Setup registers
/// the client with an in-process Tern server over loopback UDP and has the server observe /3303/0/5700 (no pmin,
/// non-confirmable); from then on the client's transport swallows datagrams before the socket, so the figure is the
/// client's alone (the server receives nothing). Each operation waits, without allocating, until the datagram has
/// reached the transport. Target: at most 512 B allocated per notification.
/// Run: <c>dotnet run -c Release --project benchmarks/Tern.Benchmarks -- --filter '*ClientNotifyBenchmarks*' --job short --inProcess</c>.
/// </summary>
[MemoryDiagnoser]
public class ClientNotifyBenchmarks
{
    private static readonly Lwm2mPath Temperature = new(3303, 0, 5700);
    private CountingTransport _transport = null!;
    private Lwm2mServer _server = null!;
    private CoapEndpoint _endpoint = null!;
    private Lwm2mClient _client = null!;
    private Lwm2mObjectStore _store = null!;
    private double _value;

    /// <summary>Registers the client, establishes the observation, then cuts the client off the network.</summary>
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    /// <summary>One value change, until its notification reaches the transport.</summary>
    [Benchmark]
    public long ValueChangeToDatagram()
    {
        long before = Volatile.Read(ref _transport.Sent);
        _store.SetValue(Temperature, _value += 1);
        var spin = default(SpinWait);
        long now;
        while ((now = Volatile.Read(ref _transport.Sent)) == before)
        {
            spin.SpinOnce();
        }

        return now;
    }

    /// <summary>Stops the client and the server.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _client.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _endpoint.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private async Task SetupAsync()
    {
        _server = await Lwm2mServer.StartAsync(
            await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0), new UdpCoapTransportOptions()), new Lwm2mServerOptions());
        _transport = new CountingTransport(await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0), new UdpCoapTransportOptions()));
        _endpoint = await CoapEndpoint.StartAsync(_transport, new CoapEndpointOptions());
        _store = new Lwm2mObjectStore();
        _ = new Lwm2mTemperatureSensor(_store) { Value = 0 };
        var configuration = new Lwm2mClientConfiguration(
            [new Lwm2mSecurityInstance(0, $"coap://{_server.LocalEndPoint}", false, Lwm2mSecurityMode.NoSec) { ShortServerId = 101 }],
            [new Lwm2mServerInstance(0, 101, TimeSpan.FromHours(1))]);
        _client = new Lwm2mClient(configuration, new Lwm2mClientOptions("bench-notify"), _endpoint, _store);
        var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Registered += (_, _) => registered.TrySetResult();
        await _client.StartAsync();
        await registered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        if (!(await _server.ObserveAsync("bench-notify", Temperature)).IsSuccess)
        {
            throw new InvalidOperationException("The server could not observe the temperature.");
        }

        _transport.Swallow = true;
    }

    /// <summary>Counts the datagrams the endpoint hands over; once <see cref="Swallow"/> is set, none reaches the socket.</summary>
    private sealed class CountingTransport(ICoapTransport inner) : ICoapTransport
    {
        public long Sent;

        public volatile bool Swallow;

        public CoapPeer LocalEndPoint => inner.LocalEndPoint;

        public int MaxDatagramSize => inner.MaxDatagramSize;

        public ValueTask SendAsync(CoapPeer peer, ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken = default)
        {
            ValueTask sending = Swallow ? default : inner.SendAsync(peer, datagram, cancellationToken);
            Interlocked.Increment(ref Sent);
            return sending;
        }

        public ValueTask<CoapDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReceiveAsync(buffer, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
