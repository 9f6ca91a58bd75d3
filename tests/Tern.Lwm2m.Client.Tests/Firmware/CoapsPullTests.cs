using System.Net;
using Tern.Coap.Dtls;
using Tern.Coap.Endpoint;
using Tern.Coap.Engine;
using Tern.Coap.Messages;
using Tern.Lwm2m.Client.Firmware;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Tests.Firmware;

/// <summary>coaps pulls: the downloader over a connector that opens a DTLS (PSK) session with Tern.Coap.Dtls, on loopback.</summary>
public sealed class CoapsPullTests : IDisposable
{
    private static readonly byte[] Key = Convert.FromHexString("00112233445566778899aabbccddeeff");
    private readonly TempDirectory _dir = new();
    private readonly EventLog _events = new();

    public void Dispose() => _dir.Dispose();

    private static CoapFirmwareDownloader Downloader(byte[] key) => new(
        async (uri, ct) =>
        {
            var server = new IPEndPoint(IPAddress.Parse(uri.Host), uri.Port);
            DtlsClientTransport transport = await DtlsClientTransport.ConnectAsync(
                server, new DtlsClientOptions { PskIdentity = "device-1", PskKey = key, HandshakeTimeout = TimeSpan.FromSeconds(10) }, ct);
            CoapEndpoint endpoint = await CoapEndpoint.StartAsync(transport, new CoapEndpointOptions { Engine = new CoapEngineOptions { FollowBlock2 = false } });
            return new CoapFirmwareConnection(endpoint, transport.RemoteEndPoint, OwnsEndpoint: true);
        },
        secureConnector: true);

    private FirmwareUpdate Open(CoapFirmwareDownloader downloader) =>
        FirmwareUpdate.Open(new FirmwareUpdateOptions(_dir.Path)
        {
            Downloaders = [downloader],
            Events = _events.Add,
            Pull = new FirmwarePullOptions { MaxRetries = 1, RetryDelay = TimeSpan.Zero },
        });

    private static async Task<(DtlsServerTransport Transport, CoapEndpoint Endpoint)> StartServerAsync(byte[] image)
    {
        DtlsServerTransport transport = DtlsServerTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0), new DtlsServerOptions { PskStore = new DtlsPskStore().Set("device-1", Key) });
        var files = new CoapResourceServer().Map("/fw.bin", new CoapResource { Get = (_, _) => ValueTask.FromResult(new CoapResponse(CoapCode.Content, image)) });
        CoapEndpoint endpoint = await CoapEndpoint.StartAsync(transport, new CoapEndpointOptions { Handler = files });
        return (transport, endpoint);
    }

    [Fact]
    public async Task A_coaps_pull_over_a_dtls_session_stores_the_image()
    {
        byte[] image = Images.Random(30_000, 40);
        (DtlsServerTransport transport, CoapEndpoint server) = await StartServerAsync(image);
        await using (server)
        {
            await using FirmwareUpdate fw = Open(Downloader(Key));

            fw.WritePackageUri($"coaps://{transport.LocalEndPoint.EndPoint}/fw.bin");
            await fw.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(FirmwareUpdateState.Downloaded, fw.State);
            Assert.Equal(image, File.ReadAllBytes(fw.PackagePath!));
            Assert.Contains(FirmwareUpdateProtocol.Coaps, fw.ProtocolSupport);
            Assert.DoesNotContain(FirmwareUpdateProtocol.Coap, fw.ProtocolSupport);
        }
    }

    [Fact]
    public async Task A_refused_dtls_handshake_ends_as_the_fota_ca_certificate_failure_chart_without_retrying()
    {
        (DtlsServerTransport transport, CoapEndpoint server) = await StartServerAsync(Images.Random(100, 41));
        await using (server)
        {
            await using FirmwareUpdate fw = Open(Downloader(Convert.FromHexString("ffeeddccbbaa99887766554433221100")));

            fw.WritePackageUri($"coaps://{transport.LocalEndPoint.EndPoint}/fw.bin");
            await fw.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(["FirmwareUpdateStarted", "FirmwareError"], _events.Flow);
            FirmwareError error = _events.Of<FirmwareError>()[0];
            Assert.Equal((FirmwareErrorKind.UpdateFailed, FirmwareErrorValue.ConnectionRefused), (error.Kind, error.Value));
            Assert.Equal(FirmwareUpdateState.Idle, fw.State);
        }
    }
}
