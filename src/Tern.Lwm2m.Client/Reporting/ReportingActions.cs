using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Reporting;

/// <summary>Something the reporter asks its driver to send. Take them with <see cref="Lwm2mReporter.TryTakeAction"/>, in order.</summary>
/// <param name="ShortServerId">The server to send to.</param>
/// <param name="TakenAt">When the values were read.</param>
public abstract record ReportingAction(ushort ShortServerId, DateTimeOffset TakenAt)
{
    /// <summary>The order the reporter made its actions in; stored and returned actions keep it.</summary>
    internal long Order { get; init; }
}

/// <summary>The values of one observed path in a notification.</summary>
/// <param name="Path">The observed path.</param>
/// <param name="Node">Its current value(s), or null when the path no longer exists (the driver answers 4.04 for a single Observe).</param>
/// <param name="History">Time-series entries of resources under the path not reported before (oldest first), or null when none.</param>
public readonly record struct ReportedPath(Lwm2mPath Path, Lwm2mNode? Node, IReadOnlyList<Lwm2mRecord>? History);

/// <summary>
/// Send a notification: a 2.05 Content response on the observation's token with Observe = <paramref name="Sequence"/>,
/// confirmable or not, whose payload is <paramref name="Values"/> encoded in <paramref name="ContentFormat"/>
/// (see <see cref="ReportPayload"/>). A Reset in answer cancels the observation (<see cref="Lwm2mReporter.CancelObservation"/>).
/// </summary>
/// <param name="ShortServerId">The observing server.</param>
/// <param name="TakenAt">When the values were read (for a stored notification, before the outage ended).</param>
/// <param name="ObservationId">The observation's <see cref="Observation.Id"/>.</param>
/// <param name="Token">The observation's token.</param>
/// <param name="Sequence">The Observe option value.</param>
/// <param name="ContentFormat">The Accept of the Observe request, or null for the format advertised at registration.</param>
/// <param name="Confirmable">True for a CON message, false for NON.</param>
/// <param name="IsComposite">True for an Observe-Composite (the payload is records).</param>
/// <param name="Values">One entry per observed path, in request order.</param>
public sealed record NotifyAction(
    ushort ShortServerId,
    DateTimeOffset TakenAt,
    long ObservationId,
    ReadOnlyMemory<byte> Token,
    uint Sequence,
    ushort? ContentFormat,
    bool Confirmable,
    bool IsComposite,
    IReadOnlyList<ReportedPath> Values) : ReportingAction(ShortServerId, TakenAt)
{
    /// <summary>True when the notification was stored while the server was offline or disabled and is delivered late.</summary>
    public bool WasStored { get; init; }
}

/// <summary>Send an LwM2M Send: a confirmable POST to <c>/dp</c> whose payload is <paramref name="Records"/> in <paramref name="ContentFormat"/>.</summary>
/// <param name="ShortServerId">The server to send to.</param>
/// <param name="TakenAt">When the values were read.</param>
/// <param name="ContentFormat">SenML CBOR (112) unless configured otherwise.</param>
/// <param name="Records">Timestamped records: time-series entries and current values.</param>
public sealed record SendAction(ushort ShortServerId, DateTimeOffset TakenAt, ushort ContentFormat, IReadOnlyList<Lwm2mRecord> Records)
    : ReportingAction(ShortServerId, TakenAt)
{
    /// <summary>True when the Send was stored while the server was offline or disabled and is delivered late.</summary>
    public bool WasStored { get; init; }
}
