using Tern.Lwm2m.Formats.LinkFormat;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Reporting;

public sealed partial class Lwm2mReporter
{
    private ObserveResult StartObservation(ushort shortServerId, IReadOnlyList<Lwm2mPath> paths, bool composite, ReadOnlySpan<byte> token, ushort? contentFormat, DateTimeOffset now, Lwm2mAttributes? observeAttributes)
    {
        ServerState server = Server(shortServerId);
        if (observeAttributes is not null)
        {
            Lwm2mResourceType? type = paths[0].Level >= Lwm2mPathLevel.Resource && _data.TryGetResourceType(paths[0], out Lwm2mResourceType t) ? t : null;
            if (AttributeStore.Check(observeAttributes, paths[0], type) is { } error)
            {
                return new ObserveResult(ObserveStatus.BadAttributes, null, [], error);
            }
        }

        var states = new ObservedPath[paths.Count];
        var values = new ReportedPath[paths.Count];
        for (int k = 0; k < paths.Count; k++)
        {
            if (!_data.TryRead(paths[k], out Lwm2mNode? node))
            {
                return new ObserveResult(ObserveStatus.NotFound, null, [], $"Nothing to observe at {paths[k]}.");
            }

            states[k] = new ObservedPath(paths[k])
            {
                LastReported = node,
                LastReportedNumber = Number(node),
                LastSampledNumber = Number(node),
                LastEvaluatedAt = now,
            };
            List<Lwm2mRecord>? history = null;
            states[k].CacheCursor = Cache.CoversAny(paths[k]) ? Cache.CollectSince(paths[k], 0, ref history) : Cache.LastSequence;
            values[k] = new ReportedPath(paths[k], node, history);
        }

        byte[] tokenCopy = token.ToArray();
        if (server.Table.Find(tokenCopy) is null && server.Table.Count >= _options.MaxObservationsPerServer)
        {
            return new ObserveResult(ObserveStatus.TooManyObservations, null, [], $"Server {shortServerId} already holds {server.Table.Count} observations.");
        }

        var observation = new Observation(++_lastObservationId, shortServerId, tokenCopy, states, composite, contentFormat, observeAttributes)
        {
            LastNotifiedAt = now,
            LastConfirmableAt = now,
        };
        Refresh(server, observation);
        server.Table.AddOrReplace(observation);
        return new ObserveResult(ObserveStatus.Observing, observation, values, null);
    }
}
