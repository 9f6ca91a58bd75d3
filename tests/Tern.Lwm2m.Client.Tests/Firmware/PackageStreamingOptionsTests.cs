using Tern.Coap.Endpoint;
using Tern.Coap.Engine;
using Tern.Coap.Messages;
using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Client.Firmware;
using Tern.Lwm2m.Formats;

namespace Tern.Lwm2m.Client.Tests.Firmware;

/// <summary><see cref="Lwm2mFirmwareObject.WithPackageStreaming"/>: the endpoint settings a host gives a device that serves object 5.</summary>
public sealed class PackageStreamingOptionsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private FirmwareUpdate OpenFirmware() => FirmwareUpdate.Open(new FirmwareUpdateOptions(_dir.Path) { Downloaders = [] });

    private static Lwm2mObjectStore StoreServing(FirmwareUpdate firmware)
    {
        var store = new Lwm2mObjectStore();
        store.AddFirmwareUpdate(firmware);
        return store;
    }

    private static CoapMessage Put(string path)
    {
        var request = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Put, ContentFormat = Lwm2mContentFormat.Opaque };
        foreach (string segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            request.AddOption(CoapOption.FromString(CoapOptionNumber.UriPath, segment));
        }

        return request;
    }

    [Fact]
    public async Task Without_settings_a_store_serving_object_5_gets_the_defaults_with_package_blocks_passed_through()
    {
        await using FirmwareUpdate firmware = OpenFirmware();

        CoapEndpointOptions options = Lwm2mFirmwareObject.WithPackageStreaming(StoreServing(firmware), null)!;

        Func<CoapMessage, bool> filter = options.Engine.PassBlock1Through!;
        Assert.True(filter(Put("/5/0/0")));
        Assert.False(filter(Put("/3/0/1")));
        Assert.Equal(CoapEngineOptions.Default.MaxBodySize, options.Engine.MaxBodySize);
    }

    [Fact]
    public async Task The_applications_other_settings_are_kept_and_its_own_options_left_unchanged()
    {
        await using FirmwareUpdate firmware = OpenFirmware();
        var mine = new CoapEndpointOptions
        {
            HandlerTimeout = TimeSpan.FromSeconds(7),
            RunHandlersInline = true,
            Engine = new CoapEngineOptions { MaxBodySize = 4096, TokenLength = 4, FollowBlock2 = false },
        };

        CoapEndpointOptions options = Lwm2mFirmwareObject.WithPackageStreaming(StoreServing(firmware), mine)!;

        Assert.NotNull(options.Engine.PassBlock1Through);
        Assert.Equal((TimeSpan.FromSeconds(7), true), (options.HandlerTimeout, options.RunHandlersInline));
        Assert.Equal((4096, 4, false), (options.Engine.MaxBodySize, options.Engine.TokenLength, options.Engine.FollowBlock2));
        Assert.Null(mine.Engine.PassBlock1Through);
    }

    [Fact]
    public async Task A_filter_the_application_set_is_kept()
    {
        await using FirmwareUpdate firmware = OpenFirmware();
        Func<CoapMessage, bool> own = _ => false;
        var mine = new CoapEndpointOptions { Engine = new CoapEngineOptions { PassBlock1Through = own } };

        Assert.Same(mine, Lwm2mFirmwareObject.WithPackageStreaming(StoreServing(firmware), mine));
    }

    [Fact]
    public void A_store_without_object_5_or_no_store_leaves_the_settings_as_they_are()
    {
        var mine = new CoapEndpointOptions();
        var store = new Lwm2mObjectStore();
        store.AddObject(3);

        Assert.Same(mine, Lwm2mFirmwareObject.WithPackageStreaming(store, mine));
        Assert.Null(Lwm2mFirmwareObject.WithPackageStreaming(store, null));
        Assert.Null(Lwm2mFirmwareObject.WithPackageStreaming(null, null));
    }
}
