using Tern.Coap.Diagnostics;
using Tern.Lwm2m.Server.Diagnostics;

namespace Tern.Cli.Commands;

// tern client --msc FILE: the messages the client exchanged, drawn as a Mermaid sequence chart once it has stopped
// (the same renderer as tern server --msc).
internal static partial class ClientCommand
{
    // After the transport is closed, so the chart holds every message up to the De-register's answer.
    private static async Task<int> WriteChartAsync(CoapMessageRecorder recorder, ClientSettings settings, Action<string> line, int code)
    {
        try
        {
            await Lwm2mSequenceChart.WriteFileAsync(settings.MscPath!, recorder, showTime: true, title: $"tern client {settings.Endpoint}").ConfigureAwait(false);
            line($"message sequence chart written to {settings.MscPath}");
            return code;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            line($"tern client: cannot write the chart: {e.Message}");
            return code == ExitOk ? ExitBadConfiguration : code;
        }
    }
}
