using Tern.Coap.Dtls;
using Tern.Lwm2m.Client;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Client.Engine;

namespace Tern.Lwm2m.Server.Security;

/// <summary>
/// A Tern client serving objects 0, 1 and 3, on a transport that follows its Security accounts (so the accounts a
/// bootstrap writes are dialled over DTLS with the credentials written), recording every DTLS handshake failure.
/// </summary>
internal sealed class DtlsTestDevice : IAsyncDisposable
{
    private DtlsTestDevice(Lwm2mClientTransport transport, Lwm2mClient client)
    {
        Transport = transport;
        Client = client;
    }

    public Lwm2mClientTransport Transport { get; }

    public Lwm2mClient Client { get; }

    public List<DtlsException> Failures { get; } = [];

    public static async Task<DtlsTestDevice> StartAsync(string endpoint, Lwm2mClientConfiguration factory)
    {
        var store = new Lwm2mObjectStore();
        store.AddObject(0);
        store.AddObject(1);
        store.AddObject(3);
        store.CreateInstance(3, 0);
        Lwm2mClientTransport transport = await Lwm2mClientTransport.CreateForAccountsAsync(factory, new Lwm2mClientTransportOptions { HandshakeTimeout = TimeSpan.FromSeconds(10) });
        var client = new Lwm2mClient(factory, new Lwm2mClientOptions(endpoint), transport.Endpoint, store, resolvePeer: transport.ResolvePeerAsync);
        transport.Follow(client);
        client.ConnectionClosed += transport.CloseConnection;
        var device = new DtlsTestDevice(transport, client);
        transport.HandshakeFailed += (_, e) =>
        {
            lock (device.Failures)
            {
                device.Failures.Add(e);
            }
        };
        await client.StartAsync();
        return device;
    }

    public Task<T> NextAsync<T>()
        where T : Lwm2mClientEvent => DtlsWaits.NextEventAsync<T>(Client);

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Transport.DisposeAsync();
    }
}
