using Tern.Cli.Commands.Shell;
using Tern.Coap.Endpoint;
using Tern.Coap.Engine;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Firmware;

namespace Tern.Cli.Commands;

/// <content>
/// Firmware Update (5) of the demo device (see <see cref="DemoFirmware"/>): its package and state live in
/// <c>--state-dir</c>/firmware, or in a temporary directory removed at exit when no state directory is given; the
/// endpoint passes the Block1 blocks of a push to /5/0/0 through, so a pushed image streams to that directory.
/// </content>
internal static partial class ClientCommand
{
    /// <summary>The CoAP endpoint settings: package blocks written to /5/0/0 go to object 5 one by one.</summary>
    private static CoapEndpointOptions FirmwareEndpointOptions() =>
        new() { Engine = new CoapEngineOptions { PassBlock1Through = Lwm2mFirmwareObject.IsPackageBlock } };

    /// <summary>
    /// Adds object 5 to <paramref name="device"/>, stored under the state directory (or a temporary one); coaps pulls use
    /// the DTLS credentials of the client's accounts as <paramref name="accounts"/> reads them at each attempt.
    /// </summary>
    private static FirmwareSetup OpenFirmware(ClientSettings settings, DemoDevice device, TimeProvider time, LineWriter lines, Func<Lwm2mClientConfiguration?> accounts)
    {
        string? temporary = settings.StateDirectory is null ? Directory.CreateTempSubdirectory("tern-client-").FullName : null;
        string directory = Path.Combine(settings.StateDirectory ?? temporary!, "firmware");
        var progress = new FirmwareProgressView(lines.OnTerminal, lines.Write, lines.Redraw);
        return new FirmwareSetup(DemoFirmware.Open(device, directory, time, lines.Write, progress, accounts), temporary);
    }

    /// <summary>Object 5 of the run, and the temporary state directory to remove after it (if any).</summary>
    private sealed class FirmwareSetup(DemoFirmware firmware, string? temporary) : IAsyncDisposable
    {
        public DemoFirmware Firmware { get; } = firmware;

        public async ValueTask DisposeAsync()
        {
            await Firmware.DisposeAsync().ConfigureAwait(false);
            if (temporary is not null)
            {
                try
                {
                    Directory.Delete(temporary, recursive: true);
                }
                catch (IOException)
                {
                    // Left behind in the temp directory; nothing else depends on it.
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }
    }
}
