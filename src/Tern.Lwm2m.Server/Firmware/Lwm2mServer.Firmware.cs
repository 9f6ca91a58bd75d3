using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Firmware;
using Tern.Lwm2m.Server.Operations;

namespace Tern.Lwm2m.Server;

public sealed partial class Lwm2mServer
{
    private readonly Lock _firmwareGate = new();
    private Lwm2mFirmwareUpdates? _firmware;

    /// <summary>The images this server serves for firmware pulls at <c>coap://SERVER/fw/ID</c>.</summary>
    public FirmwareImageLibrary FirmwareImages { get; } = new();

    /// <summary>Firmware updates (object 5) this server drives: start one per endpoint, follow it, cancel it.</summary>
    public Lwm2mFirmwareUpdates Firmware
    {
        get
        {
            lock (_firmwareGate)
            {
                return _firmware ??= new Lwm2mFirmwareUpdates(this, _time, _logger);
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="package"/> to /5/0/0 (PUT, application/octet-stream). A package larger than one block goes
    /// block-wise with Block1; <paramref name="timeout"/> bounds the whole transfer.
    /// </summary>
    public async Task<Lwm2mResult> WritePackageAsync(string endpoint, ReadOnlyMemory<byte> package, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        Exchange exchange = await ExchangeAsync(endpoint, r =>
        {
            CoapMessage request = Request(CoapCode.Put, r, new Lwm2mPath(5, 0, 0));
            request.ContentFormat = Lwm2mContentFormat.Opaque;
            request.Payload = package;
            return request;
        }, timeout, cancellationToken).ConfigureAwait(false);
        return exchange.Failure ?? ToResult(exchange.Response!);
    }

    /// <summary>Answers <c>GET /fw/ID</c> with the image (the endpoint cuts it into Block2 blocks); 4.04 for an unknown id, 4.05 for another method.</summary>
    private CoapResponse ServeFirmwareImage(CoapMessage request, string id)
    {
        if (request.Code != CoapCode.Get)
        {
            return new CoapResponse(CoapCode.MethodNotAllowed);
        }

        if (!FirmwareImages.TryGet(id, out FirmwareImage? image))
        {
            return new CoapResponse(CoapCode.NotFound);
        }

        var response = new CoapResponse(CoapCode.Content, image.Content);
        response.Message.ContentFormat = Lwm2mContentFormat.Opaque;

        // A given ETag spares the endpoint hashing the whole image for every block it has to cut afresh.
        response.Message.AddOption(new CoapOption(CoapOptionNumber.ETag, image.ETag));
        return response;
    }
}
