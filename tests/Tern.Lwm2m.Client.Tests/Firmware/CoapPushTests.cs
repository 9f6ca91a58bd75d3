using Tern.Coap.Blockwise;
using Tern.Coap.Endpoint;
using Tern.Coap.Engine;
using Tern.Coap.Messages;
using Tern.Coap.Timing;
using Tern.Coap.Transport.Virtual;
using Tern.Lwm2m.Client.Firmware;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Tests.Firmware;

/// <summary>
/// A push to /5/0/0 over CoAP Block1 as the dispatcher will wire it: the device's endpoint passes /5/0/0 blocks
/// through (<see cref="CoapEngineOptions.PassBlock1Through"/>) and a handler maps each onto
/// <see cref="FirmwareUpdate.WritePackageBlock"/>, answering with its status and the Block1 echo.
/// </summary>
public sealed class CoapPushTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly EventLog _events = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_block_wise_put_to_5_0_0_is_stored_one_block_at_a_time_and_reaches_downloaded()
    {
        byte[] image = Images.Random(100 * 1024, 50);
        var clock = new VirtualTimeProvider();
        await using var network = new VirtualNetwork(clock, 1) { WaitForReadersToStart = true };
        await using FirmwareUpdate fw = FirmwareUpdate.Open(
            new FirmwareUpdateOptions(_dir.Path) { Downloaders = [], Events = _events.Add, Verifier = new Crc32FirmwareVerifier(Crc32.Compute(image)) }, clock);
        var handler = new PackageHandler(fw);
        await using CoapEndpoint device = await CoapEndpoint.StartAsync(network.CreateTransport(), new CoapEndpointOptions
        {
            Handler = handler,
            Random = new Random(1),
            Engine = new CoapEngineOptions { PassBlock1Through = r => r.UriPath == "/5/0/0" },
        }, clock);
        await using CoapEndpoint server = await CoapEndpoint.StartAsync(network.CreateTransport(), new CoapEndpointOptions
        {
            Random = new Random(2),
            Engine = new CoapEngineOptions { MaxBodySize = 1 << 20 },
        }, clock);
        using IDisposable idle = network.AddIdleCheck(() => device.IsIdle && server.IsIdle);

        Task<CoapResponse> put = server.SendAsync(device.LocalEndPoint, new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Put, Payload = image, ContentFormat = 42 }.SetUriPath("/5/0/0"));
        Assert.True(await network.RunUntilAsync(() => put.IsCompleted, TimeSpan.FromMinutes(5)));
        await fw.WhenIdleAsync();

        Assert.Equal(CoapCode.Changed, (await put).Code);
        Assert.Equal(FirmwareUpdateState.Downloaded, fw.State);
        Assert.Equal(image, File.ReadAllBytes(fw.PackagePath!));
        Assert.Equal(image.Length / 1024, handler.Blocks);
        Assert.Equal(1024, handler.LargestBlock);
    }

    private sealed class PackageHandler(FirmwareUpdate fw) : ICoapRequestHandler
    {
        public int Blocks { get; private set; }

        public int LargestBlock { get; private set; }

        public ValueTask<CoapResponse?> HandleAsync(CoapRequestContext request, CancellationToken cancellationToken)
        {
            CoapMessage message = request.Request;
            message.TryGetBlock1(out BlockOption? block);
            Blocks++;
            LargestBlock = Math.Max(LargestBlock, message.Payload.Length);
            FirmwareOperationStatus status = block is { } b
                ? fw.WritePackageBlock(b.Offset, message.Payload.Span, b.More)
                : fw.WritePackageBlock(0, message.Payload.Span, more: false);
            var response = new CoapMessage { Code = status.ToCoapCode() };
            if (block is { } echo && status is FirmwareOperationStatus.Continue or FirmwareOperationStatus.Changed)
            {
                response.SetBlock1(echo);
            }

            return ValueTask.FromResult<CoapResponse?>(new CoapResponse(response));
        }
    }
}
