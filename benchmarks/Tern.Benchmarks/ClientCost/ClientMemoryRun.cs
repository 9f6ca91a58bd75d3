using System.Globalization;
using Tern.Coap.Endpoint;
using Tern.Coap.Timing;
using Tern.Coap.Transport.Virtual;
using Tern.Lwm2m.Client;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Server;

namespace Tern.Benchmarks.ClientCost;

/// <summary>
/// The "client-memory" mode: managed memory held by idle registered Tern clients. N clients (each an
/// <see cref="Lwm2mClient"/> on its own <see cref="CoapEndpoint"/>) register with one Tern
/// <see cref="Lwm2mServer"/> on a virtual network and clock; the clock then runs 300 s (past CoAP's exchange
/// lifetime, so no exchange state is left) and the heap is measured after a full collection. Disposing the clients and
/// measuring again splits the growth into the clients' share and the server's (its registrations).
/// Run: dotnet run -c Release --project benchmarks/Tern.Benchmarks -- client-memory [--clients 2000]
/// </summary>
public static class ClientMemoryRun
{
    /// <summary>Runs the measurement; arguments: --clients n (default 2000).</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        int count = args.Length > 1 && args[0] == "--clients" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000;
        var clock = new VirtualTimeProvider();
        // Thousands of clients settle slowly on a busy machine; the default 10 s settle bound is meant for tests.
        await using var network = new VirtualNetwork(clock, 1) { SettleTimeout = TimeSpan.FromMinutes(5) };
        await using Lwm2mServer server = await Lwm2mServer.StartAsync(network.CreateTransport(), new Lwm2mServerOptions { Random = new Random(1) }, clock);
        int registered = 0;
        server.Registered += (_, _) => Interlocked.Increment(ref registered);
        string serverUri = $"coap://{server.LocalEndPoint}";
        var running = new List<(Lwm2mClient Client, CoapEndpoint Endpoint)>();
        using IDisposable idle = network.AddIdleCheck(() =>
        {
            lock (running)
            {
                return running.TrueForAll(c => c.Client.IsIdle && c.Endpoint.IsIdle);
            }
        });

        // Warm up the code paths once so JIT and static state do not count against the clients.
        List<(Lwm2mClient Client, CoapEndpoint Endpoint)> warm = await StartClientsAsync(network, clock, serverUri, 1, "warm", running);
        await RunUntilAsync(network, () => Volatile.Read(ref registered) == 1);
        await Stop(warm, running);

        long before = Heap();
        List<(Lwm2mClient Client, CoapEndpoint Endpoint)> clients = await StartClientsAsync(network, clock, serverUri, count, "mem", running);
        await RunUntilAsync(network, () => Volatile.Read(ref registered) == count + 1);
        await network.RunForAsync(TimeSpan.FromSeconds(300));
        int registrations = (await server.GetRegistrationsAsync()).Count;
        int sessions = clients.Count(c => c.Client.State == Lwm2mClientState.RegistrationSession);
        long withClients = Heap();

        await Stop(clients, running);
        clients.Clear();
        long serverOnly = Heap();
        Console.WriteLine($"Idle registered Tern clients on a virtual network: {count} started, {sessions} in RegistrationSession, {registrations} registrations on the server");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  heap growth with clients and registrations: {(withClients - before) / 1024.0:N0} KiB; after disposing the clients: {(serverOnly - before) / 1024.0:N0} KiB (server registrations)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  per client (client + its CoAP endpoint + virtual socket): {(withClients - serverOnly) / (double)count:N0} B; per registration on the server: {(serverOnly - before) / (double)count:N0} B"));
        return 0;
    }

    /// <summary>
    /// Runs the network a virtual second at a time until <paramref name="condition"/> holds (at most ten virtual
    /// minutes): settling alone can stop while a client's continuation is still on its way to arm its next step.
    /// </summary>
    private static async Task RunUntilAsync(VirtualNetwork network, Func<bool> condition)
    {
        for (int second = 0; second < 600 && !condition(); second++)
        {
            await network.RunForAsync(TimeSpan.FromSeconds(1));
        }
    }

    private static long Heap()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static async Task<List<(Lwm2mClient Client, CoapEndpoint Endpoint)>> StartClientsAsync(VirtualNetwork network, VirtualTimeProvider clock, string serverUri, int count, string prefix,
        List<(Lwm2mClient Client, CoapEndpoint Endpoint)> running)
    {
        var clients = new List<(Lwm2mClient, CoapEndpoint)>(count);
        for (int i = 0; i < count; i++)
        {
            CoapEndpoint endpoint = await CoapEndpoint.StartAsync(network.CreateTransport(), new CoapEndpointOptions { Random = new Random(i + 10) }, clock);
            var configuration = new Lwm2mClientConfiguration(
                [new Lwm2mSecurityInstance(1, serverUri, false, Lwm2mSecurityMode.NoSec) { ShortServerId = 101 }],
                [new Lwm2mServerInstance(0, 101, TimeSpan.FromDays(1))]);
            var client = new Lwm2mClient(configuration, new Lwm2mClientOptions($"{prefix}-{i}") { Objects = [new(1, "1.1", [0]), new(3, null, [0])] }, endpoint, clock);
            lock (running)
            {
                running.Add((client, endpoint));
            }

            await client.StartAsync();
            clients.Add((client, endpoint));
        }

        return clients;
    }

    private static async Task Stop(List<(Lwm2mClient Client, CoapEndpoint Endpoint)> clients, List<(Lwm2mClient Client, CoapEndpoint Endpoint)> running)
    {
        lock (running)
        {
            running.RemoveAll(clients.Contains);
        }

        foreach ((Lwm2mClient client, CoapEndpoint endpoint) in clients)
        {
            await client.DisposeAsync();
            await endpoint.DisposeAsync();
        }
    }
}
