using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Operations;
using Tern.Lwm2m.Server.Registrations;

namespace Tern.Lwm2m.Server;

public sealed partial class Lwm2mServer
{
    /// <summary>
    /// Observes several paths at once (Observe-Composite: FETCH on the root with Observe=0 and the paths as SenML
    /// records). The first answer comes back as a Read-Composite would; later notifications carry records and are
    /// raised as <see cref="NotificationReceived"/> with <see cref="Lwm2mNotificationEventArgs.Records"/> set. Formats
    /// as in <see cref="ReadCompositeAsync"/>, with one retry in the other SenML format on 4.06/4.15. Cancel it
    /// (Cancel-Observe-Composite) with <see cref="Lwm2mObservation.CancelAsync"/> or
    /// <see cref="CancelCompositeObservationsAsync"/>. Needs LwM2M 1.1+.
    /// </summary>
    public async Task<CompositeObserveResult> ObserveCompositeAsync(string endpoint, IReadOnlyList<Lwm2mPath> paths, ushort? format = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
        {
            throw new ArgumentException("Observe-Composite needs at least one path.", nameof(paths));
        }

        CheckRecordFormat(format);
        Lwm2mPath[] observed = [.. paths];
        Lwm2mRecord[] request = [.. observed.Select(p => new Lwm2mRecord(p, null))];
        var (registration, started, failure, asked) = await StartObservingAsync(endpoint, format, PreferredRecordFormat, (_, refused) => OtherRecordFormat(refused),
            (r, f) => RecordsRequest(r, CoapCode.Fetch, request, f, accept: true), timeout, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return new CompositeObserveResult(failure.Status, failure.Code, failure.Diagnostic);
        }

        CoapResponse first = started!.Coap.Response;
        if (!first.IsSuccess)
        {
            started.Owner.TrySetResult(null);
            return new CompositeObserveResult(Lwm2mResultStatus.ErrorResponse, first.Code, Diagnostic(first));
        }

        ushort actual = first.ContentFormat ?? asked;
        (IReadOnlyList<Lwm2mRecord>? records, string? error) = DecodeRecords(first.Payload.Span, actual);
        Lwm2mObservation? running = Adopt(started, coap => new Lwm2mObservation(coap, endpoint, registration!.Id, observed, actual));
        return records is null
            ? new CompositeObserveResult(Lwm2mResultStatus.InvalidResponse, first.Code, error, contentFormat: actual, observation: running)
            : new CompositeObserveResult(Lwm2mResultStatus.Success, first.Code, records: records, contentFormat: actual, observation: running);
    }

    /// <summary>
    /// Cancel-Observe-Composite: actively ends every running Observe-Composite of <paramref name="endpoint"/> whose
    /// paths are exactly <paramref name="paths"/> (in any order), each with its FETCH repeated with Observe=1.
    /// Returns how many were cancelled (0 when none matched).
    /// </summary>
    public async Task<int> CancelCompositeObservationsAsync(string endpoint, IReadOnlyList<Lwm2mPath> paths, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(paths);
        var wanted = new HashSet<Lwm2mPath>(paths);
        List<Lwm2mObservation> matching = [.. GetObservations(endpoint).Where(o => o.IsComposite && wanted.SetEquals(o.Paths))];
        foreach (Lwm2mObservation observation in matching)
        {
            await observation.CancelAsync(active: true, cancellationToken).ConfigureAwait(false);
        }

        return matching.Count;
    }
}
