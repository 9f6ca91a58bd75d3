using System.Text;
using Tern.Coap.Endpoint;
using Tern.Coap.Engine;
using Tern.Coap.Messages;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Server.Firmware;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Server.Firmware;

/// <summary>The server's firmware API against scripted raw CoAP devices on the virtual network.</summary>
public sealed class FirmwareUpdatesTests
{
    private static readonly byte[] Image = Enumerable.Range(0, 3000).Select(i => (byte)(i * 7)).ToArray();

    /// <summary>A device with object 5 that answers State and Update Result 0 and accepts writes, unless told otherwise.</summary>
    private static CoapResponse? Device(CoapMessage request, CoapCode? uriWrite = null, string links = "</5/0>,</5/0/1>,</5/0/2>,</5/0/3>,</5/0/5>")
    {
        string path = request.UriPath;
        if (request.Code == CoapCode.Get && request.GetUIntOption(CoapOptionNumber.Accept) == Lwm2mContentFormat.LinkFormat)
        {
            var discovered = new CoapResponse(CoapCode.Content, Encoding.UTF8.GetBytes(links));
            discovered.Message.ContentFormat = Lwm2mContentFormat.LinkFormat;
            return discovered;
        }

        if (request.Code == CoapCode.Get && path is "/5/0/3" or "/5/0/5")
        {
            var value = new CoapResponse(CoapCode.Content, "0"u8.ToArray());
            value.Message.ContentFormat = Lwm2mContentFormat.Text;
            return value;
        }

        return request.Code == CoapCode.Put && path is "/5/0/0" or "/5/0/1" ? new CoapResponse(path == "/5/0/1" ? uriWrite ?? CoapCode.Changed : CoapCode.Changed) : new CoapResponse(CoapCode.NotFound);
    }

    private static async Task<(ServerFixture F, FakeClient Client)> StartAsync(string links = "</3/0>,</5/0>", Func<CoapMessage, CoapResponse?>? answer = null)
    {
        ServerFixture f = await ServerFixture.StartAsync();
        FakeClient client = await f.AddClientAsync(answer ?? (r => Device(r)));
        client.AcceptObservations = true;
        CoapResponse registered = await f.RunAsync(client.Endpoint.SendAsync(f.Server.LocalEndPoint, ServerFixture.Register("ep=dev&lwm2m=1.1&lt=86400", links)));
        Assert.Equal(CoapCode.Created, registered.Code);
        return (f, client);
    }

    [Fact]
    public async Task Starting_an_update_of_an_unregistered_endpoint_is_refused_as_not_registered()
    {
        await using ServerFixture f = await ServerFixture.StartAsync();
        FirmwareUpdateOutcome outcome = await f.RunAsync(f.Server.Firmware.StartAsync("ghost", new FirmwareUpdateRequest(Image, FirmwareDelivery.Push)));
        Assert.Equal(FirmwareUpdateError.NotRegistered, outcome.Error);
        Assert.Null(f.Server.Firmware.GetStatus("ghost"));
    }

    [Fact]
    public async Task A_client_without_object_5_is_refused_and_nothing_is_sent_to_it()
    {
        var (f, client) = await StartAsync(links: "</3/0>,</3303/0>");
        await using (f)
        {
            FirmwareUpdateOutcome outcome = await f.RunAsync(f.Server.Firmware.StartAsync("dev", new FirmwareUpdateRequest(Image, FirmwareDelivery.Pull)));
            Assert.Equal(FirmwareUpdateError.NoFirmwareObject, outcome.Error);
            Assert.Empty(client.Received);
            Assert.Equal(0, f.Server.FirmwareImages.Count);
        }
    }

    [Fact]
    public async Task An_empty_image_or_an_unknown_image_id_is_refused()
    {
        var (f, _) = await StartAsync();
        await using (f)
        {
            Assert.Equal(FirmwareUpdateError.EmptyImage, (await f.RunAsync(f.Server.Firmware.StartAsync("dev", new FirmwareUpdateRequest(ReadOnlyMemory<byte>.Empty, FirmwareDelivery.Push)))).Error);
            Assert.Equal(FirmwareUpdateError.UnknownImage, (await f.RunAsync(f.Server.Firmware.StartAsync("dev", new FirmwareUpdateRequest(Image, FirmwareDelivery.Pull) { ImageId = "nope" }))).Error);
            Assert.Throws<ArgumentException>(() => f.Server.FirmwareImages.Add(ReadOnlyMemory<byte>.Empty));
        }
    }

    [Fact]
    public async Task A_second_update_while_one_runs_is_refused_and_cancel_without_a_cancel_resource_is_refused()
    {
        var (f, client) = await StartAsync();
        await using (f)
        {
            FirmwareUpdateOutcome first = await f.RunAsync(f.Server.Firmware.StartAsync("dev", new FirmwareUpdateRequest(Image, FirmwareDelivery.Pull)));
            Assert.True(first.IsSuccess, first.ToString());
            await f.RunAsync(Task.Run(async () => { while (!client.Received.Any(r => r.Code == CoapCode.Put)) { await Task.Yield(); } return true; }));

            FirmwareUpdateOutcome second = await f.RunAsync(f.Server.Firmware.StartAsync("dev", new FirmwareUpdateRequest(Image, FirmwareDelivery.Push)));
            Assert.Equal(FirmwareUpdateError.AlreadyInProgress, second.Error);
            FirmwareUpdateOutcome cancel = await f.RunAsync(f.Server.Firmware.CancelAsync("dev"));
            Assert.Equal(FirmwareUpdateError.CancelNotSupported, cancel.Error);
            FirmwareUpdateOutcome update = await f.RunAsync(f.Server.Firmware.ExecuteUpdateAsync("dev"));
            Assert.Equal(FirmwareUpdateError.WrongPhase, update.Error);
            Assert.Equal(FirmwareUpdatePhase.Started, f.Server.Firmware.GetStatus("dev")!.Phase);
            Assert.DoesNotContain(client.Received, r => r.Code == CoapCode.Post);
        }
    }

    [Fact]
    public async Task Cancel_and_update_with_no_update_running_are_refused()
    {
        var (f, _) = await StartAsync();
        await using (f)
        {
            Assert.Equal(FirmwareUpdateError.NoUpdate, (await f.RunAsync(f.Server.Firmware.CancelAsync("dev"))).Error);
            Assert.Equal(FirmwareUpdateError.NoUpdate, (await f.RunAsync(f.Server.Firmware.ExecuteUpdateAsync("dev"))).Error);
        }
    }

    [Fact]
    public async Task A_refused_package_uri_write_fails_the_update_with_the_devices_code_and_forgets_the_image()
    {
        var (f, _) = await StartAsync(answer: r => Device(r, uriWrite: CoapCode.BadRequest));
        await using (f)
        {
            var events = new List<FirmwareUpdateEvent>();
            f.Server.Firmware.Changed += (_, e) => events.Add(e);
            await f.RunAsync(f.Server.Firmware.StartAsync("dev", new FirmwareUpdateRequest(Image, FirmwareDelivery.Pull)));
            FirmwareUpdateStatus? status = await f.RunAsync(f.Server.Firmware.WhenFinishedAsync("dev"));

            Assert.Equal(FirmwareUpdatePhase.Failed, status!.Phase);
            Assert.Contains("4.00", status.Reason, StringComparison.Ordinal);
            Assert.Equal(["FotaStarted", "FotaFailed"], events.Select(e => e.GetType().Name));
            Assert.Equal(0, f.Server.FirmwareImages.Count);
        }
    }

    [Fact]
    public async Task An_update_the_device_never_finishes_fails_at_its_deadline_on_the_servers_clock()
    {
        var (f, _) = await StartAsync();
        await using (f)
        {
            await f.RunAsync(f.Server.Firmware.StartAsync("dev", new FirmwareUpdateRequest(Image, FirmwareDelivery.Pull) { Timeout = TimeSpan.FromMinutes(10) }));
            FirmwareUpdateStatus? status = await f.RunAsync(f.Server.Firmware.WhenFinishedAsync("dev"), TimeSpan.FromMinutes(11));

            Assert.Equal(FirmwareUpdatePhase.Failed, status!.Phase);
            Assert.Contains("did not finish within 00:10:00", status.Reason, StringComparison.Ordinal);
            Assert.Equal(TimeSpan.FromMinutes(10), status.FinishedAt - status.StartedAt);
        }
    }

    [Fact]
    public async Task The_firmware_resource_serves_an_image_block_wise_and_refuses_unknown_ids_and_other_methods()
    {
        await using ServerFixture f = await ServerFixture.StartAsync();
        byte[] big = Enumerable.Range(0, 10_000).Select(i => (byte)(i % 251)).ToArray();
        FirmwareImage image = f.Server.FirmwareImages.Add(big);
        await using CoapEndpoint fetcher = await CoapEndpoint.StartAsync(f.Network.CreateTransport(), new CoapEndpointOptions { Random = new Random(9), Engine = new CoapEngineOptions { MaxBodySize = 1 << 20 } }, f.Clock);
        using IDisposable idle = f.Network.AddIdleCheck(() => fetcher.IsIdle);

        CoapResponse fetched = await f.RunAsync(fetcher.SendAsync(f.Server.LocalEndPoint, new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Get }.SetUriPath($"/fw/{image.Id}")));
        CoapResponse unknown = await f.RunAsync(fetcher.SendAsync(f.Server.LocalEndPoint, new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Get }.SetUriPath("/fw/0000")));
        CoapResponse put = await f.RunAsync(fetcher.SendAsync(f.Server.LocalEndPoint, new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Put }.SetUriPath($"/fw/{image.Id}")));

        Assert.Equal(big, fetched.Message.Payload.ToArray());
        Assert.True(f.Network.Capture.Count(d => d.From == f.Server.LocalEndPoint) >= 10, "the image went in Block2 blocks");
        Assert.Equal(CoapCode.NotFound, unknown.Code);
        Assert.Equal(CoapCode.MethodNotAllowed, put.Code);
    }

    [Fact]
    public async Task Disposing_the_server_ends_a_running_update_as_failed()
    {
        var (f, _) = await StartAsync();
        await using (f)
        {
            await f.RunAsync(f.Server.Firmware.StartAsync("dev", new FirmwareUpdateRequest(Image, FirmwareDelivery.Pull)));
            Task<FirmwareUpdateStatus?> finished = f.Server.Firmware.WhenFinishedAsync("dev");
            Assert.False(finished.IsCompleted);

            await f.Server.DisposeAsync();

            FirmwareUpdateStatus? status = await finished.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal((FirmwareUpdatePhase.Failed, "the server stopped"), (status!.Phase, status.Reason));
        }
    }

    [Fact]
    public void Request_settings_and_result_names_are_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FirmwareUpdateRequest(Image, FirmwareDelivery.Push) { Timeout = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => new FirmwareUpdateRequest(Image, FirmwareDelivery.Push) { TransferTimeout = TimeSpan.FromSeconds(-1) });
        Assert.Equal("Integrity check failure for new downloaded package", FirmwareUpdateResultNames.Describe(FirmwareUpdateResult.IntegrityCheckFailure));
        Assert.Equal("Unknown result 42", FirmwareUpdateResultNames.Describe((FirmwareUpdateResult)42));
    }

    [Fact]
    public async Task The_coap_base_uri_must_be_an_absolute_coap_uri_and_names_the_pull_uri()
    {
        var (f, _) = await StartAsync();
        await using (f)
        {
            Assert.Throws<ArgumentException>(() => f.Server.Firmware.CoapBaseUri = new Uri("http://example.com"));
            f.Server.Firmware.CoapBaseUri = new Uri("coap://203.0.113.5:5683");
            FirmwareUpdateOutcome started = await f.RunAsync(f.Server.Firmware.StartAsync("dev", new FirmwareUpdateRequest(Image, FirmwareDelivery.Pull)));
            Assert.Matches("^coap://203\\.0\\.113\\.5:5683/fw/[0-9a-f]{16}$", started.Status!.PackageUri!.AbsoluteUri);
        }
    }
}
