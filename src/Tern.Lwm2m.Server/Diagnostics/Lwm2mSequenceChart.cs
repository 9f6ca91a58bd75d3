using Tern.Coap.Diagnostics;
using Tern.Coap.Transport;

namespace Tern.Lwm2m.Server.Diagnostics;

/// <summary>
/// Message sequence charts of LwM2M traffic: a <see cref="CoapMessageRecorder"/>'s entries drawn by
/// <see cref="MermaidSequenceChart"/> with LwM2M labels (<see cref="Lwm2mMessageLabeller"/>) and participants named by
/// role, found from the traffic itself: the sender of a Register or Bootstrap-Request is "Client (ep)", its receiver
/// "Server ADDRESS" or "Bootstrap server ADDRESS".
/// </summary>
public static class Lwm2mSequenceChart
{
    /// <summary>Chart options for <paramref name="entries"/>: LwM2M labels, role names, and optionally times and a title.</summary>
    public static MermaidChartOptions CreateOptions(IReadOnlyList<CoapTraceEntry> entries, bool showTime = false, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var roles = new Dictionary<CoapPeer, string>();
        var clients = new Dictionary<CoapPeer, string>();
        foreach (CoapTraceEntry entry in entries)
        {
            if (entry.Message is not { Code.IsRequest: true } request || entry.Kind == CoapTraceKind.Note)
            {
                continue;
            }

            string? role = Lwm2mMessageLabeller.Operation(request, bootstrapSession: false) switch
            {
                "Register" or "Update" or "De-register" or "Send" => "Server",
                "Bootstrap-Request" => "Bootstrap server",
                _ => null,
            };
            if (role is null)
            {
                continue;
            }

            roles.TryAdd(entry.To, role);
            string? endpoint = request.UriQueries.FirstOrDefault(q => q.StartsWith("ep=", StringComparison.Ordinal))?[3..];
            if (!string.IsNullOrEmpty(endpoint))
            {
                clients[entry.From] = endpoint;
            }
            else
            {
                clients.TryAdd(entry.From, "");
            }
        }

        return new MermaidChartOptions
        {
            Labeller = new Lwm2mMessageLabeller().Label,
            ShowTime = showTime,
            Title = title,
            ParticipantName = (peer, _) =>
                clients.TryGetValue(peer, out string? endpoint) ? (endpoint.Length > 0 ? $"Client ({endpoint})" : $"Client {peer}")
                : roles.TryGetValue(peer, out string? role) ? $"{role} {peer}"
                : null,
        };
    }

    /// <summary>Draws everything <paramref name="recorder"/> kept, with LwM2M labels and role names.</summary>
    public static string Render(CoapMessageRecorder recorder, bool showTime = false, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        IReadOnlyList<CoapTraceEntry> entries = recorder.Entries;
        return MermaidSequenceChart.Render(entries, CreateOptions(entries, showTime, title), recorder.DroppedCount);
    }

    /// <summary>Writes the chart of <paramref name="recorder"/> to <paramref name="path"/> atomically (see <see cref="MermaidSequenceChart.WriteTextFileAsync"/>).</summary>
    public static Task WriteFileAsync(string path, CoapMessageRecorder recorder, bool showTime = false, string? title = null, CancellationToken cancellationToken = default) =>
        MermaidSequenceChart.WriteTextFileAsync(path, Render(recorder, showTime, title), cancellationToken);
}
