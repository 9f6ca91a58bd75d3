using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Reporting;

public sealed partial class Lwm2mReporter
{
    /// <summary>
    /// The application asks to Send <paramref name="paths"/> to a server (LwM2M 1.1+). Refused when Mute Send
    /// (/1/x/23) is true, when a path does not exist, or when the server is offline and does not store (/1/x/6
    /// false); stored while offline otherwise. The records are the time-series entries not sent to this server
    /// before and the current values of everything else under the paths, all timestamped.
    /// </summary>
    /// <param name="shortServerId">The server to send to.</param>
    /// <param name="paths">The paths to report.</param>
    /// <param name="now">The current time (the timestamp of current values).</param>
    public SendResult RequestSend(ushort shortServerId, IReadOnlyList<Lwm2mPath> paths, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
        {
            throw new ArgumentException("A Send names at least one path.", nameof(paths));
        }

        ServerState server = Server(shortServerId);
        if (server.Settings.MuteSend)
        {
            return new SendResult(SendStatus.Muted, null, $"Mute Send (/1/{shortServerId}/23 of the server's instance) is on.");
        }

        if (!server.Online && !server.Settings.NotificationStoring)
        {
            return new SendResult(SendStatus.Offline, null, $"Server {shortServerId} is offline and does not store notifications (/1/x/6 is false).");
        }

        var records = new List<Lwm2mRecord>();
        var cursors = new List<(Lwm2mPath Resource, long Cursor)>();
        foreach (Lwm2mPath path in paths)
        {
            if (!_data.TryRead(path, out Lwm2mNode? node))
            {
                return new SendResult(SendStatus.NotFound, null, $"Nothing to send at {path}.");
            }

            List<Lwm2mRecord>? history = null;
            foreach (Lwm2mPath resource in Cache.Resources)
            {
                if (path.Contains(resource) || resource.Contains(path))
                {
                    long cursor = server.SendCursors.GetValueOrDefault(resource);
                    cursors.Add((resource, Cache.CollectSince(resource, cursor, ref history)));
                }
            }

            ReportPayload.AppendRecords(path, node, history, now, records);
        }

        foreach ((Lwm2mPath resource, long cursor) in cursors)
        {
            server.SendCursors[resource] = cursor;
        }

        var action = new SendAction(shortServerId, now, _options.SendContentFormat, records) { Order = ++_lastOrder };
        if (server.Online)
        {
            _actions.Enqueue(action);
            return new SendResult(SendStatus.Queued, action, null);
        }

        server.Stored.Enqueue(MarkStored(action), _options.MaxStoredPerServer, _options.StoredOverflow, null);
        return new SendResult(SendStatus.Stored, action, null);
    }
}
