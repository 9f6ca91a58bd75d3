using System.Net;
using System.Text;
using Tern.Cli.Commands;
using Tern.Coap.Diagnostics;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Transport;
using Tern.Coap.Transport.Udp;
using Tern.Lwm2m.Server.Rest;

namespace Tern.Cli.Tests.Commands;

public class ServerCommandMscTests
{
    [Fact]
    public async Task Server_with_msc_writes_a_chart_holding_the_register_of_a_client_when_it_stops()
    {
        string directory = Directory.CreateTempSubdirectory("tern-cli-msc-").FullName;
        try
        {
            string path = Path.Combine(directory, "server.mmd");
            var recorder = new CoapMessageRecorder();
            var serverAddress = new TaskCompletionSource<CoapPeer>(TaskCreationOptions.RunContinuationsAsynchronously);
            var options = new TernServerHostOptions
            {
                CoapPort = 0,
                BootstrapPort = 0,
                HttpPort = 0,
                WrapTransport = transport =>
                {
                    serverAddress.TrySetResult(transport.LocalEndPoint); // the LwM2M server's transport comes first
                    return recorder.Wrap(transport);
                },
            };
            using var stop = new CancellationTokenSource();
            var output = new StringWriter();

            Task<int> run = ServerCommand.RunAsync(options, new NeverEndingReader(), output, stop.Token, recorder, path);
            CoapPeer server = await serverAddress.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await using (CoapEndpoint client = await CoapEndpoint.StartAsync(await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0))))
            {
                CoapResponse registered = await client.SendAsync(server, Register("ep=msc-dev&lt=300&lwm2m=1.1&b=U")).WaitAsync(TimeSpan.FromSeconds(60));
                Assert.Equal(CoapCode.Created, registered.Code);
            }

            await stop.CancelAsync();
            Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(60)));

            string chart = await File.ReadAllTextAsync(path);
            Assert.StartsWith("sequenceDiagram\n    title tern server\n    participant P1 as Client (msc-dev)\n", chart, StringComparison.Ordinal);
            Assert.Contains($"    participant P2 as Server {server}\n", chart, StringComparison.Ordinal);
            Assert.Contains("P1->>P2: [0.000s] Register /rd?ep=msc-dev#amp;lt=300#amp;lwm2m=1.1#amp;b=U\n", chart, StringComparison.Ordinal);
            Assert.Matches(@"P2-->>P1: \[\d+\.\d{3}s\] 2\.01 Created /rd/\S+\n", chart);
            Assert.EndsWith($"message sequence chart written to {path}{Environment.NewLine}", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Msc_is_an_option_of_the_server_command()
    {
        var parse = Program.BuildRoot().Parse(["server", "--msc", "chart.mmd"]);

        Assert.Empty(parse.Errors);
        Assert.Equal("chart.mmd", parse.GetValue<FileInfo?>("--msc")?.Name);
    }

    private static CoapMessage Register(string query)
    {
        var request = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Post, ContentFormat = 40, Payload = Encoding.UTF8.GetBytes("</1/0>,</3/0>") }.SetUriPath("/rd");
        foreach (string part in query.Split('&'))
        {
            request.AddOption(CoapOption.FromString(CoapOptionNumber.UriQuery, part));
        }

        return request;
    }

    /// <summary>Standard input that never ends a line: only the cancellation stops the server.</summary>
    private sealed class NeverEndingReader : TextReader
    {
        public override async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return null;
        }
    }
}
