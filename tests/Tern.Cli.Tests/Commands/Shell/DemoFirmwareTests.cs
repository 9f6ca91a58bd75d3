using System.Security.Cryptography;
using Tern.Cli.Commands.Shell;

namespace Tern.Cli.Tests.Commands.Shell;

public sealed class DemoFirmwareTests : IDisposable
{
    private readonly string _file = Path.GetTempFileName();

    public DemoFirmwareTests() => File.WriteAllBytes(_file, [1, 2, 3, 4, 5]);

    public void Dispose() => File.Delete(_file);

    [Theory]
    [InlineData("coap://10.0.0.1/fw/demo-2.1.0.bin", "demo", "2.1.0")]
    [InlineData("https://example.com/images/sensor-node-10.4.zip", "sensor-node", "10.4")]
    [InlineData("http://example.com/a/b/tracker-1.0.0-rc1.img", "tracker", "1.0.0-rc1")]
    public void A_pulled_package_is_named_from_its_file_name(string uri, string name, string version) =>
        Assert.Equal((name, version), DemoFirmware.Identify(uri, _file));

    [Theory]
    [InlineData("")] // pushed
    [InlineData("coap://10.0.0.1/fw/image.bin")] // no version in the name
    [InlineData("coap://10.0.0.1/fw/demo-latest.bin")]
    public void Any_other_package_is_versioned_by_its_content(string uri)
    {
        string expected = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(_file)))[..8];

        Assert.Equal(("firmware", expected), DemoFirmware.Identify(uri, _file));
    }
}
