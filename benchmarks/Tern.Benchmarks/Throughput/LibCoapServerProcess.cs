using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Tern.Benchmarks.Throughput;

/// <summary>libcoap's coap-server-notls on a free loopback port, killed on dispose. The baseline server.</summary>
public sealed class LibCoapServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private LibCoapServerProcess(Process process, IPEndPoint endPoint)
    {
        _process = process;
        EndPoint = endPoint;
    }

    /// <summary>Where it listens.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Starts the server and waits (at most 5 s) until it answers a CoAP ping.</summary>
    public static async Task<LibCoapServerProcess> StartAsync()
    {
        string path = new[] { "/usr/bin", "/usr/local/bin" }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            .Select(d => Path.Combine(d, "coap-server-notls"))
            .FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("coap-server-notls not found: install Debian's libcoap3-bin (apt-get install -y libcoap3-bin).");

        int port = PickPort();
        var info = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { "-A", "127.0.0.1", "-p", port.ToString(), "-v", "0" })
        {
            info.ArgumentList.Add(argument);
        }

        Process process = Process.Start(info) ?? throw new InvalidOperationException("Could not start coap-server-notls.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var endPoint = new IPEndPoint(IPAddress.Loopback, port);
        var server = new LibCoapServerProcess(process, endPoint);
        try
        {
            await RawCoap.GetAsync(endPoint, TimeSpan.FromSeconds(5));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills the server.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _process.WaitForExitAsync(limit.Token);
        _process.Dispose();
    }

    private static int PickPort()
    {
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)udp.LocalEndPoint!).Port;
    }
}
