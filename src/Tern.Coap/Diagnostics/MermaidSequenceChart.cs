using System.Globalization;
using System.Text;
using Tern.Coap.Messages;
using Tern.Coap.Transport;

namespace Tern.Coap.Diagnostics;

/// <summary>
/// Draws a recording as a Mermaid <c>sequenceDiagram</c>, in the form of message sequence charts: one participant per
/// address, a solid arrow (<c>A-&gt;&gt;B</c>) for requests, pings and notifications, a dashed one (<c>B--&gt;&gt;A</c>)
/// for responses, acknowledgements and resets, <c>Note over</c> for the application's notes. When both ends of an
/// exchange were recorded into one recorder, each datagram is drawn once, and one that never arrived ends in a cross.
/// </summary>
public static class MermaidSequenceChart
{
    /// <summary>Draws everything <paramref name="recorder"/> kept.</summary>
    public static string Render(CoapMessageRecorder recorder, MermaidChartOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        return Render(recorder.Entries, options, recorder.DroppedCount);
    }

    /// <summary>Draws <paramref name="entries"/> (in their order), naming with <paramref name="options"/>.</summary>
    /// <param name="entries">Recorded entries, oldest first.</param>
    /// <param name="options">Labels, names, title; defaults when null.</param>
    /// <param name="droppedCount">Entries forgotten before these; mentioned in a comment when not zero.</param>
    public static string Render(IReadOnlyList<CoapTraceEntry> entries, MermaidChartOptions? options = null, long droppedCount = 0)
    {
        ArgumentNullException.ThrowIfNull(entries);
        options ??= new MermaidChartOptions();
        CoapMessageLabeller labeller = options.Labeller ?? CoapMessageLabels.Default;
        HashSet<CoapPeer> locals = [.. entries.Select(e => e.Local)];
        (HashSet<CoapTraceEntry> hidden, HashSet<CoapTraceEntry> lost) = PairBothEnds(entries, locals);

        var text = new StringBuilder("sequenceDiagram\n");
        if (options.Title is { } title)
        {
            text.Append("    title ").Append(MermaidText.Escape(title)).Append('\n');
        }

        Dictionary<CoapPeer, string> ids = DeclareParticipants(text, entries, hidden, locals, options.ParticipantName);
        if (droppedCount > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"    %% {droppedCount} earlier entries were not kept (recorder capacity)\n");
        }

        DateTimeOffset start = entries.Count > 0 ? entries[0].Timestamp : default;
        foreach (CoapTraceEntry entry in entries)
        {
            if (hidden.Contains(entry))
            {
                continue;
            }

            string time = options.ShowTime
                ? string.Create(CultureInfo.InvariantCulture, $"[{(entry.Timestamp - start).TotalSeconds:0.000}s] ")
                : "";
            if (entry.Kind == CoapTraceKind.Note)
            {
                text.Append("    Note over ").Append(ids[entry.Local]).Append(": ")
                    .Append(MermaidText.Escape(time + entry.Note)).Append('\n');
                continue;
            }

            bool missing = lost.Contains(entry) || entry.SendFailed;
            string label = labeller(entry);
            if (entry.SendFailed)
            {
                label += " (send failed)";
            }
            else if (missing)
            {
                label += " (lost)";
            }

            text.Append("    ").Append(ids[entry.From]).Append(Arrow(entry, missing)).Append(ids[entry.To])
                .Append(": ").Append(MermaidText.Escape(time + label)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// Writes the chart of <paramref name="recorder"/> to <paramref name="path"/> atomically: into a temporary file
    /// beside it, then moved over it, so a reader never sees half a chart.
    /// </summary>
    public static Task WriteFileAsync(string path, CoapMessageRecorder recorder, MermaidChartOptions? options = null, CancellationToken cancellationToken = default) =>
        WriteTextFileAsync(path, Render(recorder, options), cancellationToken);

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> through a temporary file beside it, replacing any file there.</summary>
    public static async Task WriteTextFileAsync(string path, string content, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(content);
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? ".";
        string temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await File.WriteAllTextAsync(temporary, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken).ConfigureAwait(false);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static string Arrow(CoapTraceEntry entry, bool missing)
    {
        bool dashed = entry.Message is { } message
            && (message.Type is CoapMessageType.Acknowledgement or CoapMessageType.Reset || (message.Code.IsResponse && !entry.IsNotification));
        return (dashed, missing) switch
        {
            (false, false) => "->>",
            (true, false) => "-->>",
            (false, true) => "-x",
            (true, true) => "--x",
        };
    }

    // Participants in order of first appearance, the sender of each message before its receiver.
    private static Dictionary<CoapPeer, string> DeclareParticipants(
        StringBuilder text, IReadOnlyList<CoapTraceEntry> entries, HashSet<CoapTraceEntry> hidden, HashSet<CoapPeer> locals, MermaidParticipantNamer? namer)
    {
        var ids = new Dictionary<CoapPeer, string>();
        void Declare(CoapPeer peer)
        {
            if (ids.ContainsKey(peer))
            {
                return;
            }

            string id = string.Create(CultureInfo.InvariantCulture, $"P{ids.Count + 1}");
            ids.Add(peer, id);
            bool isLocal = locals.Contains(peer);
            string name = namer?.Invoke(peer, isLocal) ?? (isLocal ? $"Endpoint {peer}" : $"Peer {peer}");
            text.Append("    participant ").Append(id).Append(" as ").Append(MermaidText.Escape(name)).Append('\n');
        }

        foreach (CoapTraceEntry entry in entries)
        {
            if (!hidden.Contains(entry))
            {
                Declare(entry.From);
                Declare(entry.To);
            }
        }

        return ids;
    }

    // With both ends in one recording, a receipt of a datagram sent by a recorded endpoint is drawn by its send; a send
    // to a recorded endpoint that no receipt matches was lost on the way. A retransmission has the same bytes as the
    // original, so a receipt goes to the latest identical send before it: an earlier copy still unmatched was lost.
    private static (HashSet<CoapTraceEntry> Hidden, HashSet<CoapTraceEntry> Lost) PairBothEnds(IReadOnlyList<CoapTraceEntry> entries, HashSet<CoapPeer> locals)
    {
        var hidden = new HashSet<CoapTraceEntry>();
        var waiting = new List<CoapTraceEntry>();
        foreach (CoapTraceEntry entry in entries)
        {
            if (entry.Kind == CoapTraceKind.Sent && !entry.SendFailed && locals.Contains(entry.To))
            {
                waiting.Add(entry);
            }
            else if (entry.Kind == CoapTraceKind.Received && locals.Contains(entry.From))
            {
                int match = waiting.FindLastIndex(sent => sent.From == entry.From && sent.To == entry.To && sent.Datagram.Span.SequenceEqual(entry.Datagram.Span));
                if (match >= 0)
                {
                    waiting.RemoveAt(match);
                    hidden.Add(entry);
                }
            }
        }

        return (hidden, [.. waiting]);
    }
}
