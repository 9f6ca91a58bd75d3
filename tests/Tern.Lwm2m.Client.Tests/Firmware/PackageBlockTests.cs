using Tern.Coap.Blockwise;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Timing;
using Tern.Lwm2m.Client.Firmware;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Tests.Firmware;

/// <summary>
/// One passed-through Block1 request of a package Write mapped onto object 5
/// (<see cref="Lwm2mFirmwareObject.WritePackageBlock(FirmwareUpdate, CoapMessage)"/>): the CoAP answer RFC 7959 asks for
/// and the object 5 state the TS asks for.
/// </summary>
public sealed class PackageBlockTests : IDisposable
{
    private const int Size = 1024;
    private readonly TempDirectory _dir = new();
    private readonly EventLog _events = new();
    private readonly VirtualTimeProvider _clock = new();

    public void Dispose() => _dir.Dispose();

    private FirmwareUpdate Open(long maxPackage = 64 * 1024) =>
        FirmwareUpdate.Open(new FirmwareUpdateOptions(_dir.Path) { Events = _events.Add, Downloaders = [], MaxPackageBytes = maxPackage }, _clock);

    private static CoapMessage Block(byte[] image, uint num, uint? size1 = null, string path = "/5/0/0", ushort format = 42, CoapCode? method = null)
    {
        int offset = (int)num * Size;
        int length = Math.Min(Size, image.Length - offset);
        var message = new CoapMessage { Type = CoapMessageType.Confirmable, Code = method ?? CoapCode.Put, ContentFormat = format, Payload = image.AsMemory(offset, length) }
            .SetUriPath(path)
            .SetBlock1(new BlockOption(num, offset + length < image.Length, 6));
        return size1 is null ? message : message.SetSize1(size1);
    }

    private static (CoapCode Code, BlockOption? Block1, uint? Size1) Answer(CoapResponse response)
    {
        response.Message.TryGetBlock1(out BlockOption? block);
        return (response.Code, block, response.Message.GetSize1());
    }

    [Fact]
    public async Task Each_block_but_the_last_is_continued_and_the_last_is_changed_with_block1_echoed()
    {
        byte[] image = Images.Random(3 * Size + 100, 1);
        await using FirmwareUpdate fw = Open();

        var answers = Enumerable.Range(0, 4).Select(n => Answer(fw.WritePackageBlock(Block(image, (uint)n)))).ToList();
        await fw.WhenIdleAsync();

        Assert.Equal([CoapCode.Continue, CoapCode.Continue, CoapCode.Continue, CoapCode.Changed], answers.Select(a => a.Code));
        Assert.Equal([0u, 1u, 2u, 3u], answers.Select(a => a.Block1!.Value.Num));
        Assert.Equal([true, true, true, false], answers.Select(a => a.Block1!.Value.More));
        Assert.Equal(FirmwareUpdateState.Downloaded, fw.State);
        Assert.Equal(["Idle -> Downloading", "Downloading -> Downloaded"], fw.Transitions);
        Assert.Equal(image, File.ReadAllBytes(fw.PackagePath!));
    }

    [Fact]
    public async Task Progress_of_a_push_carries_the_size_announced_in_size1()
    {
        byte[] image = Images.Random(40 * Size, 10);
        await using FirmwareUpdate fw = FirmwareUpdate.Open(new FirmwareUpdateOptions(_dir.Path) { Events = _events.Add, Downloaders = [], ProgressStep = 8 * Size }, _clock);

        fw.WritePackageBlock(Block(image, 0, size1: (uint)image.Length));
        for (uint n = 1; n < 40; n++)
        {
            fw.WritePackageBlock(Block(image, n));
        }

        await fw.WhenIdleAsync();
        var progress = _events.Of<FirmwareDownloadProgress>();
        Assert.Equal([8L * Size, 16L * Size, 24L * Size, 32L * Size, 40L * Size], progress.Select(p => p.Bytes));
        Assert.All(progress, p => Assert.Equal(image.Length, p.Total));
    }

    [Fact]
    public async Task A_block_whose_predecessors_are_missing_gets_request_entity_incomplete_and_the_push_goes_on()
    {
        byte[] image = Images.Random(4 * Size, 2);
        await using FirmwareUpdate fw = Open();
        fw.WritePackageBlock(Block(image, 0));

        Assert.Equal(CoapCode.RequestEntityIncomplete, Answer(fw.WritePackageBlock(Block(image, 2))).Code);

        Assert.Equal(FirmwareUpdateState.Downloading, fw.State);
        Assert.Equal(Size, fw.StoredBytes);
        Assert.Equal(CoapCode.Continue, Answer(fw.WritePackageBlock(Block(image, 1))).Code);
    }

    [Fact]
    public async Task A_later_block_with_no_push_under_way_gets_request_entity_incomplete_and_stays_idle()
    {
        byte[] image = Images.Random(4 * Size, 3);
        await using FirmwareUpdate fw = Open();

        Assert.Equal(CoapCode.RequestEntityIncomplete, Answer(fw.WritePackageBlock(Block(image, 1))).Code);

        Assert.Equal(FirmwareUpdateState.Idle, fw.State);
        Assert.Empty(fw.Transitions);
    }

    [Fact]
    public async Task A_repeated_block_is_acknowledged_again_and_stored_once()
    {
        byte[] image = Images.Random(2 * Size + 10, 4);
        await using FirmwareUpdate fw = Open();
        fw.WritePackageBlock(Block(image, 0));
        fw.WritePackageBlock(Block(image, 1));

        var again = Answer(fw.WritePackageBlock(Block(image, 1)));

        Assert.Equal((CoapCode.Continue, 1u), (again.Code, again.Block1!.Value.Num));
        Assert.Equal(2 * Size, fw.StoredBytes);
        fw.WritePackageBlock(Block(image, 2));
        await fw.WhenIdleAsync();
        Assert.Equal(image, File.ReadAllBytes(fw.PackagePath!));
    }

    [Fact]
    public async Task A_new_block_0_during_a_push_starts_the_download_over()
    {
        byte[] first = Images.Random(3 * Size, 5);
        byte[] second = Images.Random(2 * Size + 7, 6);
        await using FirmwareUpdate fw = Open();
        fw.WritePackageBlock(Block(first, 0));
        fw.WritePackageBlock(Block(first, 1));

        Assert.Equal(CoapCode.Continue, Answer(fw.WritePackageBlock(Block(second, 0))).Code);

        Assert.Equal((FirmwareUpdateState.Downloading, (long)Size), (fw.State, fw.StoredBytes));
        Assert.Equal(2, _events.Of<FirmwareUpdateStarted>().Count);
        fw.WritePackageBlock(Block(second, 1));
        fw.WritePackageBlock(Block(second, 2));
        await fw.WhenIdleAsync();
        Assert.Equal(second, File.ReadAllBytes(fw.PackagePath!));
        Assert.Equal(["Idle -> Downloading", "Downloading -> Downloaded"], fw.Transitions);
    }

    [Fact]
    public async Task A_new_block_0_right_after_the_first_replaces_its_bytes()
    {
        byte[] first = Images.Random(2 * Size, 11);
        byte[] second = Images.Random(2 * Size, 12);
        await using FirmwareUpdate fw = Open();
        fw.WritePackageBlock(Block(first, 0));

        fw.WritePackageBlock(Block(second, 0));
        Assert.Equal(CoapCode.Changed, Answer(fw.WritePackageBlock(Block(second, 1))).Code);
        await fw.WhenIdleAsync();

        Assert.Equal(second, File.ReadAllBytes(fw.PackagePath!));
    }

    [Fact]
    public async Task A_package_announced_larger_than_allowed_gets_4_13_with_the_limit_and_update_result_2()
    {
        byte[] image = Images.Random(4 * Size, 7);
        await using FirmwareUpdate fw = Open(maxPackage: 2 * Size);

        var answer = Answer(fw.WritePackageBlock(Block(image, 0, size1: (uint)image.Length)));

        Assert.Equal((CoapCode.RequestEntityTooLarge, (uint?)(2 * Size)), (answer.Code, answer.Size1));
        Assert.Equal((FirmwareUpdateState.Idle, FirmwareUpdateResult.NotEnoughFlash), (fw.State, fw.Result));
        Assert.Equal(["Idle -> Downloading", "Downloading -> Idle"], fw.Transitions);
        Assert.Contains(_events.All, e => e is FirmwareError { Result: FirmwareUpdateResult.NotEnoughFlash });
        Assert.Empty(Directory.GetFiles(_dir.Path, "firmware.*"));
    }

    [Fact]
    public async Task A_package_growing_past_the_limit_without_size1_gets_4_13_and_update_result_2()
    {
        byte[] image = Images.Random(4 * Size, 8);
        await using FirmwareUpdate fw = Open(maxPackage: 2 * Size);
        fw.WritePackageBlock(Block(image, 0));
        fw.WritePackageBlock(Block(image, 1));

        Assert.Equal(CoapCode.RequestEntityTooLarge, Answer(fw.WritePackageBlock(Block(image, 2))).Code);

        Assert.Equal((FirmwareUpdateState.Idle, FirmwareUpdateResult.NotEnoughFlash), (fw.State, fw.Result));
    }

    [Fact]
    public async Task A_block_shorter_than_its_size_that_is_not_the_last_is_a_bad_request()
    {
        byte[] image = Images.Random(3 * Size, 9);
        await using FirmwareUpdate fw = Open();
        CoapMessage truncated = Block(image, 0);
        truncated.Payload = truncated.Payload[..100];

        Assert.Equal(CoapCode.BadRequest, Answer(fw.WritePackageBlock(truncated)).Code);
        Assert.Equal(FirmwareUpdateState.Idle, fw.State);
    }

    [Theory]
    [InlineData("/5/0/0", 42, "PUT", true)]
    [InlineData("/5/0/0", 42, "POST", true)]
    [InlineData("/5/0/0", 11542, "PUT", false)] // TLV: not raw image bytes, reassembled as before
    [InlineData("/5/0/1", 42, "PUT", false)]
    [InlineData("/5/0", 42, "PUT", false)]
    [InlineData("/5/0/0/0", 42, "PUT", false)]
    [InlineData("/15/0/0", 42, "PUT", false)]
    [InlineData("/5/0/0", 42, "GET", false)]
    public void Only_package_writes_are_passed_through(string path, int format, string method, bool expected)
    {
        CoapMessage request = Block(new byte[2 * Size], 0, path: path, format: (ushort)format, method: method switch { "PUT" => CoapCode.Put, "POST" => CoapCode.Post, _ => CoapCode.Get });

        Assert.Equal(expected, Lwm2mFirmwareObject.IsPackageBlock(request));
    }
}
