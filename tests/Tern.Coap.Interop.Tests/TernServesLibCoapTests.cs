using System.Text;
using Tern.Coap.Endpoint;
using Tern.Coap.Interop.Tests.Harness;

namespace Tern.Coap.Interop.Tests;

/// <summary>Tern's server, libcoap's <c>coap-client-notls</c> as the client.</summary>
public sealed class TernServesLibCoapTests : IAsyncLifetime
{
    private static readonly TimeSpan ClientLimit = TimeSpan.FromSeconds(15);
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), $"tern-interop-{Guid.NewGuid():N}");
    private TernServer _server = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_scratch);
        _server = await TernServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_scratch, recursive: true);
    }

    [Fact]
    public async Task Libcoap_client_gets_a_short_text_resource_from_Tern()
    {
        _server.Put("/hello", "Hello from Tern"u8.ToArray());

        ToolResult result = await LibCoapClient.RunAsync(_server.Uri("/hello"), ClientLimit, "-m", "get");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Hello from Tern", result.StandardOutput);
    }

    [Fact]
    public async Task Libcoap_client_puts_a_short_body_to_Tern()
    {
        ToolResult result = await LibCoapClient.RunAsync(_server.Uri("/note"), ClientLimit, "-m", "put", "-e", "written by libcoap");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("written by libcoap", Encoding.UTF8.GetString(_server.Get("/note") ?? []));
    }

    [Theory]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(128)]
    [InlineData(256)]
    [InlineData(512)]
    [InlineData(1024)]
    public async Task Libcoap_client_gets_a_multi_kilobyte_body_from_Tern_in_blocks_of(int blockSize)
    {
        byte[] body = Bodies.Numbered(5000, $"get{blockSize}");
        _server.Put("/big", body);
        string output = Path.Combine(_scratch, "out.bin");

        ToolResult result = await LibCoapClient.RunAsync(_server.Uri("/big"), ClientLimit, "-m", "get", "-b", blockSize.ToString(), "-o", output);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(body, await File.ReadAllBytesAsync(output));
    }

    [Theory]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(128)]
    [InlineData(256)]
    [InlineData(512)]
    [InlineData(1024)]
    public async Task Libcoap_client_puts_a_multi_kilobyte_body_to_Tern_in_blocks_of(int blockSize)
    {
        byte[] body = Bodies.Numbered(5000, $"put{blockSize}");
        string input = Path.Combine(_scratch, "in.bin");
        await File.WriteAllBytesAsync(input, body);

        ToolResult result = await LibCoapClient.RunAsync(_server.Uri("/upload"), ClientLimit, "-m", "put", "-b", blockSize.ToString(), "-f", input);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(body, _server.Get("/upload"));
    }

    [Fact]
    public async Task Libcoap_client_observing_Tern_prints_the_registration_response_and_every_notification()
    {
        _server.Put("/counter", "0"u8.ToArray());
        await using ToolProcess client = ToolProcess.Start(LibCoapTools.Client, ["-B", "10", "-s", "3", "-w", _server.Uri("/counter")]);
        CoapObserver observer = await _server.FirstObserver.WaitAsync(ClientLimit);
        await client.WaitForOutputAsync(output => output.Contains('0'), ClientLimit);

        // Confirmable notifications one after another: each completes when libcoap acknowledges it.
        for (int i = 1; i <= 4; i++)
        {
            await observer.NotifyAsync(CoapResponse.Text(Messages.CoapCode.Content, i.ToString()), confirmable: true).WaitAsync(ClientLimit);
        }

        ToolResult result = await client.WaitAsync(ClientLimit);
        string[] lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(new[] { "0", "1", "2", "3", "4" }, lines);
    }
}
