using System.Net;

namespace Tern.Coap.Interop.Tests.Harness;

/// <summary>
/// libcoap's <c>coap-server-notls</c> on a free loopback port, started and probed until it answers, killed on dispose.
/// It serves <c>/</c> (a text banner), <c>/time</c> (observable, notifies every second), <c>/async</c>,
/// <c>/example_data</c>, and with <c>-d</c> creates resources on PUT.
/// </summary>
public sealed class LibCoapServer : IAsyncDisposable
{
    private readonly ToolProcess _process;

    private LibCoapServer(ToolProcess process, IPEndPoint endPoint)
    {
        _process = process;
        EndPoint = endPoint;
    }

    /// <summary>Where it listens (127.0.0.1 and a free port).</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The server's output so far (useful in assertion messages).</summary>
    public string Output => _process.StandardOutput + _process.StandardError;

    /// <summary>Starts the server with <paramref name="extraArguments"/> (e.g. "-d", "10") and waits until it answers a ping.</summary>
    public static async Task<LibCoapServer> StartAsync(params string[] extraArguments)
    {
        string server = LibCoapTools.Server;
        for (int attempt = 1; ; attempt++)
        {
            int port = FreePort.Pick();
            ToolProcess process = ToolProcess.Start(server, ["-A", "127.0.0.1", "-p", port.ToString(), .. extraArguments]);
            var endPoint = new IPEndPoint(IPAddress.Loopback, port);
            try
            {
                await CoapProbe.WaitUntilAnsweringAsync(endPoint, TimeSpan.FromSeconds(5));
                return new LibCoapServer(process, endPoint);
            }
            catch (TimeoutException) when (attempt < 3)
            {
                // Most likely another process took the port between picking and binding; pick again.
                await process.DisposeAsync();
            }
            catch (TimeoutException e)
            {
                string output = process.StandardOutput + process.StandardError;
                await process.DisposeAsync();
                throw new InvalidOperationException($"{process.CommandLine} did not come up: {e.Message}\n{output}", e);
            }
        }
    }

    /// <summary>Kills the server.</summary>
    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
