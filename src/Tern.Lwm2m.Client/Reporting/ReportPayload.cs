using System.Buffers;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Reporting;

/// <summary>
/// Turns a <see cref="ReportingAction"/> into payload bytes. A single-path notification without time series is the
/// node in the observation's format; a composite notification, one with time series, and a Send are SenML-shaped
/// records. Where any record carries a time (time series, a stored notification, every Send) all do: current values
/// take the time they were read, because SenML cannot mix timed and untimed records.
/// </summary>
public static class ReportPayload
{
    /// <summary>Encodes the payload of <paramref name="action"/>. Returns null on success.</summary>
    /// <param name="action">A notification or a Send.</param>
    /// <param name="codec">The codec of the action's content format (or of the format advertised at registration when the action names none).</param>
    /// <param name="output">Where the bytes go.</param>
    public static Lwm2mCodecError? Encode(ReportingAction action, ILwm2mContentCodec codec, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(codec);
        ArgumentNullException.ThrowIfNull(output);
        switch (action)
        {
            case SendAction send:
                return codec.EncodeRecords(send.Records, output);
            case NotifyAction notify:
                if (!notify.IsComposite && notify.Values.Count == 1)
                {
                    ReportedPath only = notify.Values[0];
                    if (only.Node is null)
                    {
                        return new Lwm2mCodecError(Lwm2mCodecErrorKind.UnknownResource, $"{only.Path} no longer exists.");
                    }

                    bool timed = only.History is { Count: > 0 } || notify.WasStored;
                    if (!timed || !codec.SupportsRecords)
                    {
                        return codec.EncodeNode(only.Path, only.Node, output);
                    }
                }

                return codec.EncodeRecords(ToRecords(notify), output);
            default:
                throw new ArgumentException($"Unknown action {action.GetType().Name}.", nameof(action));
        }
    }

    /// <summary>The records of a notification, in path order; timed as described on <see cref="ReportPayload"/>.</summary>
    /// <param name="notify">The notification.</param>
    public static List<Lwm2mRecord> ToRecords(NotifyAction notify)
    {
        ArgumentNullException.ThrowIfNull(notify);
        bool timed = notify.WasStored;
        foreach (ReportedPath value in notify.Values)
        {
            timed |= value.History is { Count: > 0 };
        }

        var records = new List<Lwm2mRecord>();
        foreach (ReportedPath value in notify.Values)
        {
            if (value.Node is null)
            {
                records.Add(new Lwm2mRecord(value.Path, null, timed ? notify.TakenAt : null));
                continue;
            }

            AppendRecords(value.Path, value.Node, value.History, timed ? notify.TakenAt : null, records);
        }

        return records;
    }

    /// <summary>
    /// Adds the records of <paramref name="node"/> at <paramref name="path"/>, with <paramref name="timestamp"/>; a
    /// resource with time-series entries in <paramref name="history"/> contributes those entries instead of its current value.
    /// </summary>
    internal static void AppendRecords(Lwm2mPath path, Lwm2mNode node, IReadOnlyList<Lwm2mRecord>? history, DateTimeOffset? timestamp, List<Lwm2mRecord> records)
    {
        foreach (Lwm2mRecord record in Lwm2mNodeRecords.Flatten(path, node, timestamp))
        {
            if (history is null || !Covered(history, record.Path))
            {
                records.Add(record);
            }
        }

        if (history is not null)
        {
            records.AddRange(history);
        }
    }

    private static bool Covered(IReadOnlyList<Lwm2mRecord> history, Lwm2mPath path)
    {
        foreach (Lwm2mRecord h in history)
        {
            if (h.Path.Contains(path) || path.Contains(h.Path))
            {
                return true;
            }
        }

        return false;
    }
}
