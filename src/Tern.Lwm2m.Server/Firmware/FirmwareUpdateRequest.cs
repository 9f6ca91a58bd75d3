namespace Tern.Lwm2m.Server.Firmware;

/// <summary>How the package reaches the device.</summary>
public enum FirmwareDelivery
{
    /// <summary>The server writes the image to /5/0/0 (block-wise with Block1 when it does not fit one message).</summary>
    Push,

    /// <summary>The server writes a Package URI to /5/0/1 and the device fetches the image from it.</summary>
    Pull,
}

/// <summary>What <see cref="Lwm2mFirmwareUpdates.StartAsync"/> is asked to do. Values are checked when set.</summary>
public sealed class FirmwareUpdateRequest
{
    private readonly TimeSpan _timeout = TimeSpan.FromHours(1);
    private readonly TimeSpan _transferTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Asks for <paramref name="image"/> to be delivered by <paramref name="delivery"/>.</summary>
    /// <param name="image">The package bytes; an empty image is refused by <see cref="Lwm2mFirmwareUpdates.StartAsync"/>.</param>
    /// <param name="delivery">Push or pull.</param>
    public FirmwareUpdateRequest(ReadOnlyMemory<byte> image, FirmwareDelivery delivery)
    {
        Image = image;
        Delivery = delivery;
    }

    /// <summary>The package bytes.</summary>
    public ReadOnlyMemory<byte> Image { get; }

    /// <summary>Push or pull.</summary>
    public FirmwareDelivery Delivery { get; }

    /// <summary>
    /// Pull only: the URI written to /5/0/1. When null the server serves the image itself on its CoAP endpoint
    /// (<c>coap://HOST:PORT/fw/ID</c>, see <see cref="Lwm2mFirmwareUpdates.CoapBaseUri"/>). A caller that serves the
    /// image elsewhere (the REST host's <c>/fw/ID</c> over HTTP) adds it to <see cref="Lwm2mServer.FirmwareImages"/>
    /// first and names its URI here together with <see cref="ImageId"/>.
    /// </summary>
    public Uri? PackageUri { get; init; }

    /// <summary>The id of an image already in <see cref="Lwm2mServer.FirmwareImages"/> to serve (and forget when the update ends); null adds <see cref="Image"/>.</summary>
    public string? ImageId { get; init; }

    /// <summary>When true (the default) Update (/5/0/2) is executed as soon as the device reports Downloaded; otherwise the update waits for <see cref="Lwm2mFirmwareUpdates.ExecuteUpdateAsync"/>.</summary>
    public bool AutoUpdate { get; init; } = true;

    /// <summary>How long the whole update may take, reboots included, before it is given up as failed (default 1 hour, on the server's clock).</summary>
    public TimeSpan Timeout
    {
        get => _timeout;
        init => _timeout = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(Timeout), value, "The timeout must be positive.");
    }

    /// <summary>How long one operation that carries the package (the push Write, block-wise) may take (default 10 minutes).</summary>
    public TimeSpan TransferTimeout
    {
        get => _transferTimeout;
        init => _transferTimeout = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(TransferTimeout), value, "The timeout must be positive.");
    }
}
