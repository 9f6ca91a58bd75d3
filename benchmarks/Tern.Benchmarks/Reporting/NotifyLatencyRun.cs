using System.Diagnostics;
using System.Globalization;
using System.Net;
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
/// "notify-latency [count]": a Tern client and a Tern server over loopback UDP; the server observes /3303/0/5700
/// (no pmin), the application sets the value <c>count</c> times (default 5000, after 500 warm-up changes), and
/// the time from <see cref="Lwm2mObjectStore.SetValue(Lwm2mPath, double)"/> to the notification's datagram
/// reaching the client's socket send is recorded. Each change waits for the server to receive the previous
/// notification. Allocations are the whole process's (client and in-process server) per notification.
/// </summary>
public static class NotifyLatencyRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        int count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5000;
        await using Lwm2mServer server = await Lwm2mServer.StartAsync(
            await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0), new UdpCoapTransportOptions()), new Lwm2mServerOptions());
        var stamping = new StampingTransport(await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0), new UdpCoapTransportOptions()));
        await using CoapEndpoint endpoint = await CoapEndpoint.StartAsync(stamping, new CoapEndpointOptions());
        var store = new Lwm2mObjectStore();
        var sensor = new Lwm2mTemperatureSensor(store) { Value = 0 };
        var configuration = new Lwm2mClientConfiguration(
            [new Lwm2mSecurityInstance(0, $"coap://{server.LocalEndPoint}", false, Lwm2mSecurityMode.NoSec) { ShortServerId = 101 }],
            [new Lwm2mServerInstance(0, 101, TimeSpan.FromHours(1))]);
        await using var client = new Lwm2mClient(configuration, new Lwm2mClientOptions("bench-1"), endpoint, store);
        var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Registered += (_, _) => registered.TrySetResult();
        await client.StartAsync();
        await registered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        SemaphoreSlim arrived = new(0);
        server.NotificationReceived += (_, _) => arrived.Release();
        var observe = await server.ObserveAsync("bench-1", Lwm2mPath.Parse("/3303/0/5700"));
        if (!observe.IsSuccess)
        {
            Console.Error.WriteLine($"observe failed: {observe}");
            return 1;
        }

        var path = Lwm2mPath.Parse("/3303/0/5700");
        double[] micros = new double[count];
        for (int warm = 0; warm < 500; warm++)
        {
            await ChangeAsync(warm + 1.0);
        }

        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < count; i++)
        {
            micros[i] = await ChangeAsync(1000.0 + i);
        }

        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        // Client only: the transport swallows the notifications, so the in-process server allocates nothing.
        stamping.Swallow = true;
        for (int warm = 0; warm < 500; warm++)
        {
            await ChangeAsync(-warm - 1.0, waitForServer: false);
        }

        long clientBefore = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < count; i++)
        {
            await ChangeAsync(-1000.0 - i, waitForServer: false);
        }

        long clientAllocated = GC.GetTotalAllocatedBytes(precise: true) - clientBefore;
        Array.Sort(micros);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"notifications {count}: value change -> datagram sent, median {micros[count / 2]:F1} us, p90 {micros[count * 9 / 10]:F1} us, p99 {micros[count * 99 / 100]:F1} us; " +
            $"allocated per notification: {allocated / (double)count:F0} B whole process (client + in-process server), {clientAllocated / (double)count:F0} B client only (datagrams swallowed before the socket)"));
        return 0;

        async Task<double> ChangeAsync(double value, bool waitForServer = true)
        {
            stamping.Arm();
            long start = Stopwatch.GetTimestamp();
            store.SetValue(path, value);
            long sent = await stamping.Sent.WaitAsync(TimeSpan.FromSeconds(10));
            if (waitForServer && !await arrived.WaitAsync(TimeSpan.FromSeconds(10)))
            {
                throw new TimeoutException("the server did not receive the notification");
            }

            return Stopwatch.GetElapsedTime(start, sent).TotalMicroseconds;
        }
    }

    /// <summary>Notes when the first datagram after <see cref="Arm"/> is handed to the socket.</summary>
    private sealed class StampingTransport(ICoapTransport inner) : ICoapTransport
    {
        private TaskCompletionSource<long> _sent = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _armed;

        public Task<long> Sent => _sent.Task;

        public bool Swallow { get; set; }

        public CoapPeer LocalEndPoint => inner.LocalEndPoint;

        public int MaxDatagramSize => inner.MaxDatagramSize;

        public void Arm()
        {
            _sent = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _armed, 1);
        }

        public async ValueTask SendAsync(CoapPeer peer, ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken = default)
        {
            if (!Swallow)
            {
                await inner.SendAsync(peer, datagram, cancellationToken).ConfigureAwait(false);
            }

            if (Interlocked.Exchange(ref _armed, 0) == 1)
            {
                _sent.TrySetResult(Stopwatch.GetTimestamp());
            }
        }

        public ValueTask<CoapDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReceiveAsync(buffer, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
