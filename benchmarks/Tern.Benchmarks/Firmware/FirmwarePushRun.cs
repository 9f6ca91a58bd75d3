using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Reflection;
using Tern.Coap.Endpoint;
using Tern.Coap.Engine;
using Tern.Coap.Transport.Udp;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server;
using Tern.Lwm2m.Server.Operations;

namespace Tern.Benchmarks.Firmware;

/// <summary>
/// The "fota-push" mode: a Tern LwM2M server pushes a firmware image to /5/0/0 of a Tern client over loopback UDP,
/// CON PUT with Block1 SZX 6 (1024-byte blocks), through the server's ordinary Write API. The client runs in a child
/// process (<see cref="FirmwarePushDevice"/>) so its managed memory is measured alone. Throughput is the image size
/// over the time from the Write call to its final 2.04; after each round the server writes an empty package (back to
/// Idle). Three devices in the same run: "stream" (blocks passed through to storage, handlers on the thread pool as
/// by default), "stream-inline" (the same with the endpoint's handlers run on its receive loop) and, as the baseline,
/// "reassemble" (the endpoint reassembling the image in memory before object 5 sees it, the way it was before).
/// </summary>
public static class FirmwarePushRun
{
    /// <summary>The client's endpoint name.</summary>
    public const string Endpoint = "fota-bench";

    /// <summary>The image both processes build: <paramref name="size"/> bytes from a fixed seed.</summary>
    public static byte[] Image(int size)
    {
        byte[] image = new byte[size];
        new Random(1).NextBytes(image);
        return image;
    }

    /// <summary>Runs the comparison; arguments: --size bytes (default 1048576), --rounds n (default 5).</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        int size = (int)RunArguments.Option(args, "--size", 1 << 20);
        int rounds = (int)RunArguments.Option(args, "--rounds", 5);
        byte[] image = Image(size);
        await using Lwm2mServer server = await Lwm2mServer.StartAsync(
            await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0)),
            new Lwm2mServerOptions { Coap = new CoapEndpointOptions { Engine = new CoapEngineOptions { PreferredBlockSizeExponent = 6, MaxBodySize = size + (64 * 1024) } } });
        Console.WriteLine($"Firmware push over loopback UDP: Tern server Write /5/0/0 (application/octet-stream, CON PUT, Block1 SZX 6 = 1024-byte blocks), {size:N0}-byte image, Tern client in a child process, {Environment.ProcessorCount} cores");
        Console.WriteLine("  client memory per round, from just before the Write to the verified package: allocated = GC.GetTotalAllocatedBytes(precise); "
            + "retained = GC.GetTotalMemory(true) growth; a last round samples the live heap (GC.GetTotalMemory(true) every 10 ms) for its peak");
        var summary = new List<string>();
        foreach (string mode in new[] { "stream", "stream-inline", "reassemble" })
        {
            summary.Add(await RunDeviceAsync(server, image, mode, rounds));
        }

        foreach (string line in summary)
        {
            Console.WriteLine(line);
        }

        return 0;
    }

    private static async Task<string> RunDeviceAsync(Lwm2mServer server, byte[] image, string mode, int rounds)
    {
        var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnRegistered(object? sender, Tern.Lwm2m.Server.Registrations.RegistrationEventArgs e) => registered.TrySetResult();
        server.Registered += OnRegistered;
        using Process device = StartDevice(server.LocalEndPoint.EndPoint.Port, image.Length, mode);
        try
        {
            await registered.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Console.WriteLine($"  device: {mode}");
            var speeds = new List<double>();
            long peakLive = 0;
            for (int round = 0; round <= rounds + 1; round++)
            {
                bool sampled = round == rounds + 1;
                await device.StandardInput.WriteLineAsync(sampled ? "start sample" : "start");
                await device.StandardInput.FlushAsync();
                if (await device.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) != "ready")
                {
                    throw new InvalidOperationException("The device did not get ready.");
                }

                long start = Stopwatch.GetTimestamp();
                Lwm2mResult push = await server.WriteAsync(Endpoint, Lwm2mPath.Parse("/5/0/0"), new Lwm2mSingleResource(0, Lwm2mValue.FromOpaque(image)),
                    format: Lwm2mContentFormat.Opaque, timeout: TimeSpan.FromMinutes(2));
                double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                string report = await device.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) ?? "";
                if (!push.IsSuccess || !report.EndsWith("downloaded", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"The push failed: {push}; device: {report}");
                }

                Lwm2mResult reset = await server.WriteAsync(Endpoint, Lwm2mPath.Parse("/5/0/0"), new Lwm2mSingleResource(0, Lwm2mValue.FromOpaque([])),
                    format: Lwm2mContentFormat.Opaque);
                if (!reset.IsSuccess)
                {
                    throw new InvalidOperationException($"Resetting object 5 failed: {reset}");
                }

                if (round == 0)
                {
                    continue; // warm-up
                }

                string[] parts = report.Split(' ');
                long allocated = long.Parse(parts[1], CultureInfo.InvariantCulture);
                long retained = long.Parse(parts[2], CultureInfo.InvariantCulture);
                if (sampled)
                {
                    peakLive = long.Parse(parts[3], CultureInfo.InvariantCulture);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"    memory round (live heap sampled every 10 ms with a full GC): peak live heap growth {peakLive / 1024:+#,0;-#,0;0} KiB, retained {retained / 1024:+#,0;-#,0;0} KiB"));
                    continue;
                }

                speeds.Add(image.Length / seconds / 1e6);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"    round {round}: {speeds[^1],6:F2} MB/s ({seconds * 1000:F0} ms); client allocated {allocated / 1024,7:N0} KiB ({allocated / (image.Length / 1024):N0} B per block), retained {retained / 1024:+#,0;-#,0;0} KiB"));
            }

            double[] sorted = [.. speeds.Order()];
            return string.Create(CultureInfo.InvariantCulture,
                $"{mode}: median {sorted[sorted.Length / 2]:F2} MB/s over {rounds} rounds (MB = 10^6 bytes); client peak live heap growth {peakLive / 1024:+#,0;-#,0;0} KiB");
        }
        finally
        {
            server.Registered -= OnRegistered;
            device.StandardInput.Close();
            await device.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>This benchmark executable again, in "fota-push-device" mode.</summary>
    private static Process StartDevice(int port, int size, string mode)
    {
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot tell which executable runs this process.");
        var info = new ProcessStartInfo(host) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            info.ArgumentList.Add(Assembly.GetExecutingAssembly().Location);
        }

        foreach (string argument in new[] { "fota-push-device", port.ToString(CultureInfo.InvariantCulture), size.ToString(CultureInfo.InvariantCulture), mode })
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("Could not start the device process.");
    }
}
