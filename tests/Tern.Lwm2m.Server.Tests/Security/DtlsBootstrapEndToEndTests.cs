using System.Net;
using System.Text;
using Tern.Coap.Dtls;
using Tern.Lwm2m.Client;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Bootstrap;

namespace Tern.Lwm2m.Server.Security;

/// <summary>
/// A Tern client that starts with only a bootstrap account (coaps, PSK) against the Tern bootstrap server and the Tern
/// LwM2M server, both on DTLS over real loopback sockets, each with its own security store. The bootstrap server
/// provisions the PSK the client then registers with. Bounds are safety nets against a hang only.
/// </summary>
/// <remarks>
/// <code>
///  client                         bootstrap server (DTLS, bs store)         LwM2M server (DTLS, dm store)
///    |== handshake, PSK "e2e-bs" ==>|                                          |
///    |-- POST /bs?ep=e2e-dev ------>|  identity belongs to e2e-dev: 2.04       |
///    |<-- DELETE /, PUT /0/1 (mode 0, "e2e-dm", key), PUT /1/0, POST /bs ----|  |
///    |============== handshake, PSK "e2e-dm" (provisioned) =================>|
///    |-- POST /rd?ep=e2e-dev ----------------------------------------------->|  2.01
/// </code>
/// </remarks>
public sealed class DtlsBootstrapEndToEndTests : IAsyncLifetime
{
    private const string Endpoint = "e2e-dev";
    private static readonly byte[] BootstrapKey = Convert.FromHexString("b0b1b2b3b4b5b6b7b8b9babbbcbdbebf");
    private static readonly byte[] ServerKey = Convert.FromHexString("d0d1d2d3d4d5d6d7d8d9dadbdcdddedf");
    private static readonly byte[] WrongKey = Convert.FromHexString("00000000000000000000000000000001");
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private readonly InMemorySecurityStore _serverSecurity = new();
    private readonly InMemorySecurityStore _bootstrapSecurity = new();
    private Lwm2mServerTransport _serverTransport = null!;
    private Lwm2mServerTransport _bootstrapTransport = null!;
    private Lwm2mServer _server = null!;
    private Lwm2mBootstrapServer _bootstrap = null!;

    public async Task InitializeAsync()
    {
        Assert.True(_serverSecurity.TryPut(SecurityInfo.ForPsk(Endpoint, "e2e-dm", ServerKey), out _));
        Assert.True(_bootstrapSecurity.TryPut(SecurityInfo.ForPsk(Endpoint, "e2e-bs", BootstrapKey), out _));
        _serverTransport = await BindAsync(_serverSecurity);
        _bootstrapTransport = await BindAsync(_bootstrapSecurity);
        _server = await Lwm2mServer.StartAsync(_serverTransport);
        _bootstrap = await Lwm2mBootstrapServer.StartAsync(_bootstrapTransport, new Lwm2mBootstrapServerOptions { RequestTimeout = TimeSpan.FromSeconds(20) });
    }

    public async Task DisposeAsync()
    {
        await _bootstrap.DisposeAsync();
        await _server.DisposeAsync();
    }

    private static ValueTask<Lwm2mServerTransport> BindAsync(ISecurityStore security) => Lwm2mServerTransport.BindAsync(new Lwm2mServerTransportOptions
    {
        CoapsEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
        Security = security,
        HandshakeTimeout = TimeSpan.FromSeconds(10),
    });

    private string ServerUri => $"coaps://127.0.0.1:{_serverTransport.CoapsEndPoint!.Value.EndPoint.Port}";

    private string BootstrapUri => $"coaps://127.0.0.1:{_bootstrapTransport.CoapsEndPoint!.Value.EndPoint.Port}";

    private Lwm2mClientConfiguration Factory(byte[] bootstrapKey) => new(
        [new Lwm2mSecurityInstance(0, BootstrapUri, true, Lwm2mSecurityMode.PreSharedKey)
        {
            PublicKeyOrIdentity = Encoding.UTF8.GetBytes("e2e-bs"),
            SecretKey = bootstrapKey,
        }],
        []);

    /// <summary>A client serving a data model with objects 0, 1 and 3, on a transport that follows its accounts.</summary>
    private sealed class Device : IAsyncDisposable
    {
        public required Lwm2mClientTransport Transport { get; init; }

        public required Lwm2mClient Client { get; init; }

        public List<DtlsException> Failures { get; } = [];

        public static async Task<Device> StartAsync(Lwm2mClientConfiguration factory)
        {
            var store = new Lwm2mObjectStore();
            store.AddObject(0);
            store.AddObject(1);
            store.AddObject(3);
            store.CreateInstance(3, 0);
            Lwm2mClientTransport transport = await Lwm2mClientTransport.CreateForAccountsAsync(factory, new Lwm2mClientTransportOptions { HandshakeTimeout = TimeSpan.FromSeconds(10) });
            var client = new Lwm2mClient(factory, new Lwm2mClientOptions(Endpoint), transport.Endpoint, store, resolvePeer: transport.ResolvePeerAsync);
            transport.Follow(client);
            client.ConnectionClosed += transport.CloseConnection;
            var device = new Device { Transport = transport, Client = client };
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

        public async Task<T> NextAsync<T>()
            where T : Lwm2mClientEvent
        {
            while (true)
            {
                if (await Client.Events.ReadAsync().AsTask().WaitAsync(Bound) is T wanted)
                {
                    return wanted;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            await Transport.DisposeAsync();
        }
    }

    private static Task<T> Next<T>(Action<EventHandler<T>> subscribe)
    {
        var seen = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        subscribe((_, e) => seen.TrySetResult(e));
        return seen.Task.WaitAsync(Bound);
    }

    [Fact]
    public async Task Client_bootstraps_over_dtls_and_registers_over_dtls_with_the_provisioned_psk()
    {
        await _bootstrap.Store.SetAsync(Endpoint, BootstrapConfiguration.ForPskServer(ServerUri, 1, TimeSpan.FromMinutes(5), "e2e-dm", ServerKey));
        Task<BootstrapSessionEventArgs> session = Next<BootstrapSessionEventArgs>(h => _bootstrap.SessionEnded += h);
        Task<Registrations.RegistrationEventArgs> registered = Next<Registrations.RegistrationEventArgs>(h => _server.Registered += h);

        await using Device device = await Device.StartAsync(Factory(BootstrapKey));
        BootstrapSessionEventArgs bootstrapped = await session;
        Registrations.Registration registration = (await registered).Registration;
        await device.NextAsync<Lwm2mRegistered>();

        Assert.True(bootstrapped.Success, bootstrapped.Failure);
        Assert.Equal(Endpoint, registration.Endpoint);
        Assert.True(_server.TryGetDtlsPeer(registration.Peer, out DtlsPeerInfo? proven));
        Assert.Equal("e2e-dm", proven!.PskIdentity);
        Lwm2mSecurityInstance provisioned = device.Client.Configuration.Securities.Single(s => !s.IsBootstrapServer);
        Assert.Equal((ServerUri, Lwm2mSecurityMode.PreSharedKey, "e2e-dm"), (provisioned.ServerUri, provisioned.SecurityMode, Encoding.UTF8.GetString(provisioned.PublicKeyOrIdentity.Span)));
        Assert.Equal(ServerKey, provisioned.SecretKey.ToArray());
        Assert.Equal(1, device.Transport.GetDtls(BootstrapUri)!.HandshakeCount); // the bootstrap ran over its own DTLS client, answering Finish included
        Assert.True(device.Transport.GetDtls(ServerUri)!.IsConnected);
        Assert.Empty(device.Failures);
    }

    [Fact]
    public async Task Client_with_a_wrong_bootstrap_key_fails_the_handshake_and_is_never_bootstrapped_or_registered()
    {
        await _bootstrap.Store.SetAsync(Endpoint, BootstrapConfiguration.ForPskServer(ServerUri, 1, TimeSpan.FromMinutes(5), "e2e-dm", ServerKey));
        Task<DtlsHandshakeFailedEventArgs> serverSide = Next<DtlsHandshakeFailedEventArgs>(h => _bootstrapTransport.Dtls!.HandshakeFailed += h);
        int sessions = 0;
        _bootstrap.SessionEnded += (_, _) => Interlocked.Increment(ref sessions);

        await using Device device = await Device.StartAsync(Factory(WrongKey));

        Assert.Equal(DtlsErrorKind.DecryptError, (await serverSide).Error.Kind);
        Assert.Equal(0, Volatile.Read(ref sessions));
        Assert.Empty(await _server.GetRegistrationsAsync());
        Assert.Equal(Lwm2mClientState.Bootstrap, device.Client.State);
    }

    [Fact]
    public async Task A_wrongly_provisioned_key_is_refused_by_the_server_and_the_client_is_never_registered()
    {
        await _bootstrap.Store.SetAsync(Endpoint, BootstrapConfiguration.ForPskServer(ServerUri, 1, TimeSpan.FromMinutes(5), "e2e-dm", WrongKey));
        Task<DtlsHandshakeFailedEventArgs> serverSide = Next<DtlsHandshakeFailedEventArgs>(h => _serverTransport.Dtls!.HandshakeFailed += h);

        await using Device device = await Device.StartAsync(Factory(BootstrapKey));
        await device.NextAsync<Lwm2mBootstrapped>();
        Lwm2mRegistrationDeferred deferred = await device.NextAsync<Lwm2mRegistrationDeferred>();

        Assert.Equal(DtlsErrorKind.DecryptError, (await serverSide).Error.Kind);
        Assert.Equal(Lwm2mDeferredReason.ServerConnect, deferred.Reason);
        lock (device.Failures)
        {
            Assert.Contains(device.Failures, f => f.Kind == DtlsErrorKind.DecryptError);
        }

        Assert.Empty(await _server.GetRegistrationsAsync());
    }

    [Theory]
    [InlineData(1, "RawPublicKey")]
    [InlineData(4, "CertificateWithEst")]
    public async Task A_provisioned_unsupported_security_mode_is_refused_at_bootstrap_finish_with_a_named_reason(int mode, string named)
    {
        BootstrapConfiguration psk = BootstrapConfiguration.ForPskServer(ServerUri, 1, TimeSpan.FromMinutes(5), "e2e-dm", ServerKey);
        var security = (Lwm2mObjectInstance)psk.Writes[0].Node;
        var unsupported = new Lwm2mObjectInstance(security.Id,
            [.. security.Resources.Select(r => r.Id == 2 ? new Lwm2mSingleResource(2, Lwm2mValue.FromInteger(mode)) : r)]);
        await _bootstrap.Store.SetAsync(Endpoint, psk with { Writes = [psk.Writes[0] with { Node = unsupported }, .. psk.Writes.Skip(1)] });
        Task<BootstrapSessionEventArgs> session = Next<BootstrapSessionEventArgs>(h => _bootstrap.SessionEnded += h);

        await using Device device = await Device.StartAsync(Factory(BootstrapKey));
        Lwm2mBootstrapFinishRefused refused = await device.NextAsync<Lwm2mBootstrapFinishRefused>();
        BootstrapSessionEventArgs ended = await session;

        Assert.Contains($"security mode {named} is not supported", refused.Reason, StringComparison.Ordinal);
        Assert.False(ended.Success);
        Assert.Contains("not supported", ended.Failure, StringComparison.Ordinal);
        Assert.Equal(Lwm2mClientState.Bootstrap, device.Client.State);
        Assert.Null(device.Transport.GetDtls(ServerUri));
        Assert.Empty(await _server.GetRegistrationsAsync());
    }
}
