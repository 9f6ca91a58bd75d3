namespace Tern.Coap.Interop.Tests.Harness;

/// <summary>
/// Finds libcoap's command-line peers. Interop tests must run in CI, so a missing tool is a failure with
/// instructions, never a skip.
/// </summary>
public static class LibCoapTools
{
    /// <summary>The client binary (no DTLS), from Debian's libcoap3-bin.</summary>
    public static string Client => Locate("coap-client-notls", "TERN_COAP_CLIENT");

    /// <summary>The server binary (no DTLS), from Debian's libcoap3-bin.</summary>
    public static string Server => Locate("coap-server-notls", "TERN_COAP_SERVER");

    /// <summary>Returns the full path of <paramref name="name"/>, honouring an override in <paramref name="overrideVariable"/>.</summary>
    /// <exception cref="InvalidOperationException">The tool is not installed.</exception>
    public static string Locate(string name, string overrideVariable)
    {
        string? overridden = Environment.GetEnvironmentVariable(overrideVariable);
        if (!string.IsNullOrEmpty(overridden))
        {
            return File.Exists(overridden)
                ? overridden
                : throw new InvalidOperationException($"{overrideVariable} points to '{overridden}', which does not exist.");
        }

        string[] directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (string directory in directories.Append("/usr/bin").Append("/usr/local/bin"))
        {
            string candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"libcoap's '{name}' was not found on PATH. The interop tests need it: install Debian's libcoap3-bin " +
            $"(sudo apt-get install -y libcoap3-bin; .ci/run does this), or set {overrideVariable} to the binary.");
    }
}
