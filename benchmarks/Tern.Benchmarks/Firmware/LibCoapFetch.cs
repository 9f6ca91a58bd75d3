using System.Diagnostics;

namespace Tern.Benchmarks.Firmware;

/// <summary>The baseline of the pull benchmarks: libcoap's <c>coap-client-notls</c> fetching an image, timed and checked.</summary>
internal static class LibCoapFetch
{
    /// <summary>Runs <paramref name="client"/> with <paramref name="arguments"/>; the seconds it took, once <paramref name="output"/> holds <paramref name="image"/>.</summary>
    public static async Task<double> PullAsync(string client, string[] arguments, string output, byte[] image)
    {
        File.Delete(output);
        var info = new ProcessStartInfo(client) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        long start = Stopwatch.GetTimestamp();
        using Process process = Process.Start(info) ?? throw new InvalidOperationException("Could not start coap-client-notls.");
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        byte[] fetched = File.Exists(output) ? await File.ReadAllBytesAsync(output) : [];
        return process.ExitCode == 0 && fetched.AsSpan().SequenceEqual(image)
            ? seconds
            : throw new InvalidOperationException($"coap-client-notls failed (exit {process.ExitCode}, {fetched.Length} bytes): {await error}");
    }

    /// <summary>Where coap-client-notls is installed.</summary>
    public static string LocateClient() =>
        new[] { "/usr/bin", "/usr/local/bin" }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            .Select(d => Path.Combine(d, "coap-client-notls"))
            .FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("coap-client-notls not found: install Debian's libcoap3-bin (apt-get install -y libcoap3-bin).");
}
