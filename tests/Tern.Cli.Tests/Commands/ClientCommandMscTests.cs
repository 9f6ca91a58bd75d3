using Tern.Cli.Commands;
using Tern.Cli.Tests.Support;
using Tern.Lwm2m.Server.Rest;

namespace Tern.Cli.Tests.Commands;

/// <summary><c>tern client --msc FILE</c> against a Tern server on loopback (real sockets; the bound is a safety net).</summary>
public sealed class ClientCommandMscTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Client_with_msc_writes_a_chart_of_its_register_read_and_deregister_when_it_quits()
    {
        string directory = Directory.CreateTempSubdirectory("tern-cli-client-msc-").FullName;
        try
        {
            await using TernServerHost host = await TernServerHost.StartAsync(new TernServerHostOptions { CoapPort = 0, BootstrapPort = 0, HttpPort = 0 });
            string path = Path.Combine(directory, "client.mmd");
            var output = new WatchingWriter();
            var input = new TypedInput();
            var settings = new ClientSettings($"coap://127.0.0.1:{host.CoapEndPoint.Port}", "cli-msc", false, null, null, null, TimeSpan.FromSeconds(120)) { MscPath = path };

            Task<int> run = ClientCommand.RunAsync(settings, input, output, CancellationToken.None);
            await output.LineContaining("registered    /rd/");
            var read = await host.Server.ReadAsync("cli-msc", Lwm2m.Model.Lwm2mPath.Parse("/3/0/0")).WaitAsync(Bound);
            Assert.True(read.IsSuccess, read.ToString());
            input.Type("quit");

            Assert.Equal(ClientCommand.ExitOk, await run.WaitAsync(Bound));
            Assert.Contains(output.Lines, l => l.EndsWith($"message sequence chart written to {path}", StringComparison.Ordinal));
            string[] lines = await File.ReadAllLinesAsync(path);
            Assert.Equal("sequenceDiagram", lines[0]);
            Assert.Contains(lines, l => l == "    title tern client cli-msc");
            string client = Participant(lines, "Client (cli-msc)");
            string server = Participant(lines, $"Server 127.0.0.1:{host.CoapEndPoint.Port}");
            int register = Array.FindIndex(lines, l => l.StartsWith($"    {client}->>{server}: ", StringComparison.Ordinal) && l.Contains("Register /rd?ep=cli-msc", StringComparison.Ordinal));
            int readLine = Array.FindIndex(lines, l => l.StartsWith($"    {server}->>{client}: ", StringComparison.Ordinal) && l.EndsWith("Read /3/0/0", StringComparison.Ordinal));
            int deregister = Array.FindIndex(lines, l => l.StartsWith($"    {client}->>{server}: ", StringComparison.Ordinal) && l.Contains("De-register /rd/", StringComparison.Ordinal));
            Assert.True(register >= 0 && register < readLine && readLine < deregister, string.Join('\n', lines));
            Assert.Contains(lines[(deregister + 1)..], l => l.StartsWith($"    {server}-->>{client}: ", StringComparison.Ordinal) && l.EndsWith("2.02 Deleted", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Participant(string[] lines, string name)
    {
        string line = Assert.Single(lines, l => l.StartsWith("    participant ", StringComparison.Ordinal) && l.EndsWith(" as " + name, StringComparison.Ordinal));
        return line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
    }
}
