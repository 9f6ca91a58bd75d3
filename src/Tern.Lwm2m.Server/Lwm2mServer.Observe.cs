using System.Collections.Concurrent;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Operations;
using Tern.Lwm2m.Server.Registrations;

namespace Tern.Lwm2m.Server;

public sealed partial class Lwm2mServer
{
    private readonly ConcurrentDictionary<long, Lwm2mObservation> _observations = new();

    /// <summary>A notification arrived from an observed client.</summary>
    public event EventHandler<Lwm2mNotificationEventArgs>? NotificationReceived;

    /// <summary>The running observations of <paramref name="endpoint"/>.</summary>
    public IReadOnlyList<Lwm2mObservation> GetObservations(string endpoint) =>
        [.. _observations.Values.Where(o => o.IsActive && string.Equals(o.Endpoint, endpoint, StringComparison.Ordinal))];

    /// <summary>
    /// Observes <paramref name="path"/> on the client: the first answer comes back as a read would, and later
    /// notifications are decoded and raised as <see cref="NotificationReceived"/>. Formats are negotiated as in
    /// <see cref="ReadAsync"/>, with one retry on 4.06.
    /// </summary>
    public async Task<ObserveResult> ObserveAsync(string endpoint, Lwm2mPath path, ushort? format = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        CheckFormat(format);
        var (registration, started, failure, asked) = await StartObservingAsync(endpoint, format,
            r => FormatNegotiation.Preferred(r, new(_formats)), (r, refused) => FormatNegotiation.Fallback(r, path, refused, new(_formats)),
            (r, f) => ReadRequest(r, path, f), timeout, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return new ObserveResult(failure.Status, failure.Code, failure.Diagnostic);
        }

        CoapResponse first = started!.Coap.Response;
        if (!first.IsSuccess)
        {
            started.Owner.TrySetResult(null);
            return new ObserveResult(Lwm2mResultStatus.ErrorResponse, first.Code, Diagnostic(first));
        }

        ushort actual = first.ContentFormat ?? asked;
        (Lwm2mNode? node, string? error) = DecodeNode(first.Payload.Span, actual, path);
        Lwm2mObservation? running = Adopt(started, coap => new Lwm2mObservation(coap, endpoint, registration!.Id, path, actual));
        return node is null
            ? new ObserveResult(Lwm2mResultStatus.InvalidResponse, first.Code, error, contentFormat: actual, observation: running)
            : new ObserveResult(Lwm2mResultStatus.Success, first.Code, node: node, contentFormat: actual, observation: running);
    }

    /// <summary>
    /// Starts an observation in <paramref name="format"/>, or in the client's preferred one with a single retry in
    /// the <paramref name="fallback"/> format when the client refuses it (4.06/4.15). Returns the outcome and the
    /// format asked for last.
    /// </summary>
    private async Task<(Registration? Registration, StartedObservation? Started, Lwm2mResult? Failure, ushort Asked)> StartObservingAsync(
        string endpoint, ushort? format, Func<Registration, ushort> preferred, Func<Registration, ushort, ushort?> fallback,
        Func<Registration, ushort, CoapMessage> request, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ushort asked = 0;
        Task<StartedObservation> Start(Registration r, ushort f, CancellationToken token)
        {
            asked = f;
            return StartObservationAsync(r, request(r, f), token);
        }

        var (registration, started, failure) = await ExchangeAsync(endpoint, (r, token) => Start(r, format ?? preferred(r), token), timeout, cancellationToken).ConfigureAwait(false);
        if (format is null && started is { } refused && IsFormatRefusal(refused.Coap.Response) && fallback(registration!, asked) is { } other)
        {
            Log.FormatFallback(_logger, endpoint, asked, refused.Coap.Response.Code, other);
            refused.Owner.TrySetResult(null);
            (registration, started, failure) = await ExchangeAsync(endpoint, (r, token) => Start(r, other, token), timeout, cancellationToken).ConfigureAwait(false);
        }

        return (registration, started, failure, asked);
    }

    /// <summary>
    /// Turns a started observation whose first answer succeeded into a running one (when the client keeps it), and
    /// lets its notifications through.
    /// </summary>
    private Lwm2mObservation? Adopt(StartedObservation started, Func<CoapObservation, Lwm2mObservation> create)
    {
        Lwm2mObservation? running = started.Coap.IsActive ? create(started.Coap) : null;
        if (running is not null)
        {
            _observations[running.Id] = running;
            _ = ForgetWhenEndedAsync(running);
        }

        started.Owner.TrySetResult(running);
        return running;
    }

    private Task<StartedObservation> StartObservationAsync(Registration registration, CoapMessage request, CancellationToken cancellationToken)
    {
        // Notifications can reach the callback before the Lwm2mObservation exists (it is made from the first
        // response); the callback waits for its owner, which is set once ObserveAsync has decided.
        var owner = new TaskCompletionSource<Lwm2mObservation?>(TaskCreationOptions.RunContinuationsAsynchronously);
        return StartAsync();

        async Task<StartedObservation> StartAsync()
        {
            try
            {
                CoapObservation coap = await _endpoint.ObserveAsync(registration.Peer, request, async notification =>
                {
                    if (await owner.Task.ConfigureAwait(false) is { } observation)
                    {
                        Deliver(observation, notification);
                    }
                }, cancellationToken).ConfigureAwait(false);
                return new StartedObservation(coap, owner);
            }
            catch
            {
                owner.TrySetResult(null);
                throw;
            }
        }
    }

    private void Deliver(Lwm2mObservation observation, CoapResponse notification)
    {
        DateTimeOffset now = _time.GetUtcNow();
        ushort format = notification.ContentFormat ?? observation.ContentFormat;
        Lwm2mNotificationEventArgs args;
        if (!notification.IsSuccess)
        {
            args = new Lwm2mNotificationEventArgs(observation, null, notification.ContentFormat, $"The client ended the observation with {notification.Code}.", now);
        }
        else if (observation.IsComposite)
        {
            (IReadOnlyList<Lwm2mRecord>? records, string? error) = DecodeRecords(notification.Payload.Span, format);
            args = new Lwm2mNotificationEventArgs(observation, null, format, error, now) { Records = records };
        }
        else
        {
            (Lwm2mNode? node, string? error) = DecodeNode(notification.Payload.Span, format, observation.Path);
            args = new Lwm2mNotificationEventArgs(observation, node, format, error, now);
        }

        if (NotificationReceived is { } handler)
        {
            try
            {
                handler(this, args);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Log.EventHandlerFailed(_logger, nameof(NotificationReceived), observation.Endpoint, ex);
            }
        }
    }

    /// <summary>Forgets (passively cancels) every observation of a registration that ended or was replaced.</summary>
    private void CancelObservations(Registration registration)
    {
        foreach (Lwm2mObservation observation in _observations.Values)
        {
            if (string.Equals(observation.RegistrationId, registration.Id, StringComparison.Ordinal) && _observations.TryRemove(observation.Id, out _))
            {
                _ = observation.CancelAsync(active: false);
            }
        }
    }

    private async Task ForgetWhenEndedAsync(Lwm2mObservation observation)
    {
        await observation.Completion.ConfigureAwait(false);
        _observations.TryRemove(observation.Id, out _);
    }

    /// <summary>A CoAP observation just started, and the slot its notifications wait on for their Lwm2mObservation.</summary>
    private sealed record StartedObservation(CoapObservation Coap, TaskCompletionSource<Lwm2mObservation?> Owner);
}
