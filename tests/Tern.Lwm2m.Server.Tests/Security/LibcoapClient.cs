using System.Diagnostics;

namespace Tern.Lwm2m.Server.Security;

/// <summary>
/// Runs libcoap's coap-client (Debian libcoap3-bin) once and returns what it printed. A missing binary fails the test
/// with the install command: interop must run, not skip. The run is bounded and the process killed on timeout.
/// </summary>
internal static class LibcoapClient
{
    public static async Task<string> RunAsync(string tool, CancellationToken cancellationToken, params string[] arguments)
    {
        var info = new ProcessStartInfo(Locate(tool)) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return await stdout + await stderr;
    }

    private static string Locate(string tool)
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/bin"))
        {
            string candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail($"{tool} is not installed. The interop tests need libcoap's DTLS tools: sudo apt-get install -y libcoap3-bin");
        return tool;
    }
}
