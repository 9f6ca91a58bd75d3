using System.Net;
using System.Net.Sockets;
using Tern.Cli.Commands;
using Tern.Lwm2m.Server.Rest;

namespace Tern.Cli.Tests.Commands;

public class ServerCommandTests
{
    private static TernServerHostOptions EphemeralPorts => new() { CoapPort = 0, BootstrapPort = 0, HttpPort = 0 };

    [Fact]
    public async Task Server_stops_cleanly_when_told_quit_on_standard_input()
    {
        var output = new StringWriter();

        int code = await ServerCommand.RunAsync(EphemeralPorts, new StringReader("status\nquit\n"), output, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, code);
        string text = output.ToString();
        Assert.Contains("LwM2M server on coap://127.0.0.1:", text, StringComparison.Ordinal);
        Assert.Contains("bootstrap server on coap://127.0.0.1:", text, StringComparison.Ordinal);
        Assert.Contains("REST API on http://127.0.0.1:", text, StringComparison.Ordinal);
        Assert.EndsWith("stopping" + Environment.NewLine, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_with_a_coaps_port_announces_its_dtls_address_and_psk_count()
    {
        var output = new StringWriter();
        var security = new Tern.Lwm2m.Server.Security.InMemorySecurityStore();
        security.TryPut(Tern.Lwm2m.Server.Security.SecurityInfo.ForPsk("dev", "id", [1, 2]), out _);
        var options = new TernServerHostOptions { CoapPort = 0, CoapsPort = 0, BootstrapPort = 0, HttpPort = 0, Security = security };

        int code = await ServerCommand.RunAsync(options, new StringReader("quit\n"), output, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, code);
        Assert.Matches(@"DTLS on coaps://127\.0\.0\.1:\d+ with 1 PSK entries and 0 certificate entries", output.ToString());
    }

    [Fact]
    public async Task A_refused_dtls_handshake_is_logged_with_its_reason()
    {
        var output = new Support.WatchingWriter();
        var input = new Support.TypedInput();
        var security = new Tern.Lwm2m.Server.Security.InMemorySecurityStore();
        security.TryPut(Tern.Lwm2m.Server.Security.SecurityInfo.ForPsk("dev", "dev-id", [1, 2, 3, 4]), out _);
        Task<int> run = ServerCommand.RunAsync(new TernServerHostOptions { CoapPort = 0, CoapsPort = 0, BootstrapPort = 0, HttpPort = 0, Security = security }, input, output, CancellationToken.None);
        string banner = await output.LineContaining("DTLS on coaps://");
        int port = int.Parse(System.Text.RegularExpressions.Regex.Match(banner, @"coaps://127\.0\.0\.1:(\d+)").Groups[1].Value);

        await Assert.ThrowsAsync<Tern.Coap.Dtls.DtlsException>(async () => await Tern.Coap.Dtls.DtlsClientTransport.ConnectAsync(
            new IPEndPoint(IPAddress.Loopback, port), new Tern.Coap.Dtls.DtlsClientOptions { PskIdentity = "dev-id", PskKey = new byte[] { 9, 9, 9, 9 }, HandshakeTimeout = TimeSpan.FromSeconds(20) }));
        string refused = await output.LineContaining("dtls-refused");
        input.Type("quit");

        Assert.Contains("DecryptError", refused, StringComparison.Ordinal);
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task Server_stops_cleanly_when_cancelled_as_on_ctrl_c()
    {
        using var cancel = new CancellationTokenSource();
        var output = new StringWriter();
        // A reader that never ends: only the cancellation can stop the server.
        using var input = new StreamReader(new BlockingStream());

        Task<int> run = ServerCommand.RunAsync(EphemeralPorts, input, output, cancel.Token);
        await cancel.CancelAsync();

        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task Busy_http_port_is_reported_with_exit_code_1()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        int port = ((IPEndPoint)busy.LocalEndpoint).Port;

        int code = await ServerCommand.RunAsync(new TernServerHostOptions { CoapPort = 0, BootstrapPort = 0, HttpPort = port }, new StringReader(""), new StringWriter(), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, code);
    }

    [Theory]
    [InlineData("--coap-port", "70000")]
    [InlineData("--http-port", "-1")]
    [InlineData("--bootstrap-port", "65536")]
    [InlineData("--bind", "localhost-ish")]
    [InlineData("--coaps-port", "65536")]
    public void Bad_options_are_parse_errors(string option, string value)
    {
        var parse = Program.BuildRoot().Parse(["server", option, value]);

        Assert.NotEmpty(parse.Errors);
    }

    private sealed class BlockingStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
