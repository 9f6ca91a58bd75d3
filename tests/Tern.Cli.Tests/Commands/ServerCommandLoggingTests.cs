using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Tern.Cli.Commands;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Transport;
using Tern.Coap.Transport.Udp;
using Tern.Lwm2m.Server.Rest;

namespace Tern.Cli.Tests.Commands;

public class ServerCommandLoggingTests
{
    [Fact]
    public async Task A_registration_is_logged_on_one_line()
    {
        var output = new WatchingWriter();
        var input = new ScriptedInput();
        Task<int> run = ServerCommand.RunAsync(new TernServerHostOptions { CoapPort = 0, BootstrapPort = 0, HttpPort = 0 }, input, output, CancellationToken.None);
        string banner = await output.LineContaining("LwM2M server on").WaitAsync(TimeSpan.FromSeconds(60));
        int port = int.Parse(Regex.Match(banner, @"LwM2M server on coap://127\.0\.0\.1:(\d+)").Groups[1].Value);

        await using (CoapEndpoint device = await CoapEndpoint.StartAsync(await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0))))
        {
            var register = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Post, Payload = Encoding.UTF8.GetBytes("</3/0>") };
            register.SetUriPath("/rd");
            register.AddOption(CoapOption.FromString(CoapOptionNumber.UriQuery, "ep=logged-dev"));
            register.AddOption(CoapOption.FromString(CoapOptionNumber.UriQuery, "lt=120"));
            Assert.Equal(CoapCode.Created, (await device.SendAsync(new CoapPeer(new IPEndPoint(IPAddress.Loopback, port)), register)).Code);
        }

        string line = await output.LineContaining("registered").WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Matches(@"registered +logged-dev lwm2m=1\.\d lt=120 b=U from 127\.0\.0\.1:\d+$", line);
        input.Send("quit");
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(60)));
    }

    /// <summary>Collects written lines and lets a test await the first one containing some text.</summary>
    private sealed class WatchingWriter : TextWriter
    {
        private readonly Lock _gate = new();
        private readonly List<string> _lines = [];
        private readonly List<(string Part, TaskCompletionSource<string> Waiter)> _waiters = [];

        public override Encoding Encoding => Encoding.UTF8;

        public override void WriteLine(string? value)
        {
            lock (_gate)
            {
                _lines.Add(value ?? "");
                foreach (var (part, waiter) in _waiters.Where(w => (value ?? "").Contains(w.Part, StringComparison.Ordinal)))
                {
                    waiter.TrySetResult(value!);
                }
            }
        }

        public Task<string> LineContaining(string part)
        {
            lock (_gate)
            {
                if (_lines.FirstOrDefault(l => l.Contains(part, StringComparison.Ordinal)) is { } seen)
                {
                    return Task.FromResult(seen);
                }
                var waiter = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add((part, waiter));
                return waiter.Task;
            }
        }
    }

    /// <summary>Standard input the test types into.</summary>
    private sealed class ScriptedInput : TextReader
    {
        private readonly TaskCompletionSource<string?> _line = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Send(string line) => _line.TrySetResult(line);

        public override ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) => new(_line.Task.WaitAsync(cancellationToken));
    }
}
