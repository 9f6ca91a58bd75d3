using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Tern.Lwm2m.Server.Rest;
using Tern.Lwm2m.Server.Security;

namespace Tern.Cli.Commands;

/// <content>The DTLS side of <c>tern server</c>: the bootstrap server's listener, --security-file, --bootstrap-psk.</content>
internal static partial class ServerCommand
{
    /// <summary>The exit code when the security file or the keys on the command line are unusable.</summary>
    public const int ExitBadSecurity = 2;

    /// <summary>The LwM2M server's and the bootstrap server's stores, and the file they are saved to (if any).</summary>
    internal readonly record struct SecurityStores(ISecurityStore Server, ISecurityStore Bootstrap, SecurityFile? File);

    /// <summary>
    /// Builds the two stores: the entries of <paramref name="securityFile"/> when given, then the <c>--psk</c> and
    /// <c>--bootstrap-psk</c> values on top (an endpoint given both ways takes the command line's). With a file, the
    /// stores save back to it on every change (the REST API's), command-line entries included. False, after one line
    /// on <paramref name="error"/>, when the file or a value cannot be used.
    /// </summary>
    internal static bool TryLoadSecurity(string? securityFile, IReadOnlyList<string> psk, IReadOnlyList<string> bootstrapPsk, TextWriter error, out SecurityStores stores)
    {
        stores = default;
        SecurityFile? file = null;
        if (securityFile is not null)
        {
            file = SecurityFile.Load(securityFile, out string problem);
            if (file is null)
            {
                error.WriteLine($"tern server: {problem}");
                return false;
            }
        }

        InMemorySecurityStore server = file?.ServerStore ?? new InMemorySecurityStore();
        InMemorySecurityStore bootstrap = file?.BootstrapStore ?? new InMemorySecurityStore();
        foreach ((string name, IReadOnlyList<string> values, InMemorySecurityStore store) in new[] { ("--psk", psk, server), ("--bootstrap-psk", bootstrapPsk, bootstrap) })
        {
            foreach (string value in values)
            {
                if (!PskOption.TryParse(value, out SecurityInfo? info, out string problem))
                {
                    error.WriteLine($"tern server: {problem.Replace("--psk", name, StringComparison.Ordinal)}");
                    return false;
                }

                if (!store.TryPut(info!, out string? conflict))
                {
                    error.WriteLine($"tern server: {name} {value}: {conflict}");
                    return false;
                }
            }
        }

        stores = file is null
            ? new SecurityStores(server, bootstrap, null)
            : new SecurityStores(file.Saving(server), file.Saving(bootstrap), file);
        return true;
    }

    private static Option<FileInfo?> SecurityFileOption() => new("--security-file")
    {
        Description = "JSON file of security entries ({\"server\":[{\"endpoint\",\"pskIdentity\",\"pskKey\"} or {\"endpoint\",\"certificate\":true}],\"bootstrap\":[...]}); "
            + "loaded at start and rewritten when the REST API changes an entry",
    };

    private static Option<int> DtlsIdleTimeoutOption()
    {
        var option = new Option<int>("--dtls-idle-timeout")
        {
            Description = "Seconds after which an idle DTLS peer is closed and forgotten (0 keeps peers)",
            DefaultValueFactory = _ => 600,
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0)
            {
                result.AddError("--dtls-idle-timeout must be 0 (keep peers) or a number of seconds");
            }
        });
        return option;
    }

    private static void WatchBootstrapSecurity(TernServerHost host, SecurityFile? file, Action<string> line)
    {
        if (host.BootstrapTransport.Dtls is { } dtls)
        {
            dtls.HandshakeFailed += (_, e) => line($"dtls-refused  bootstrap {e.Peer} {e.Error.Kind}: {e.Error.Message}");
        }

        host.Bootstrap.Refused += (_, e) => line($"bootstrap     {e.Endpoint} refused: {e.Reason}");
        if (file is not null)
        {
            file.SaveFailed += line;
        }
    }

    private static void AnnounceBootstrapDtls(TernServerHost host, SecurityFile? file, Action<string> line)
    {
        if (host.BootstrapCoapsEndPoint is { } coaps)
        {
            line($"bootstrap DTLS on coaps://{FormatEndPoint(coaps)} with {host.BootstrapSecurity.GetAll().Count} entries (add more with PUT {host.HttpAddress}api/bootstrap-security/ENDPOINT)");
        }

        if (file is not null)
        {
            line($"security entries from {file.Path} (saved back on every change)");
        }
    }

    private static string FormatEndPoint(IPEndPoint endPoint) =>
        endPoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endPoint.Address}]:{endPoint.Port}" : endPoint.ToString();
}
