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
        ushort asked = 0;
        var (registration, started, failure) = await ExchangeAsync(endpoint, (r, token) => StartObservationAsync(r, ReadRequest(r, path, asked = format ?? FormatNegotiation.Preferred(r, new(_formats))), token), timeout, cancellationToken).ConfigureAwait(false);
        if (format is null && started is { } refused && IsFormatRefusal(refused.Coap.Response)
            && FormatNegotiation.Fallback(registration!, path, asked, new(_formats)) is { } fallback)
        {
            Log.FormatFallback(_logger, endpoint, asked, refused.Coap.Response.Code, fallback);
            refused.Owner.TrySetResult(null);
            asked = fallback;
            (registration, started, failure) = await ExchangeAsync(endpoint, (r, token) => StartObservationAsync(r, ReadRequest(r, path, fallback), token), timeout, cancellationToken).ConfigureAwait(false);
        }

        if (failure is not null)
        {
            return new ObserveResult(failure.Status, failure.Code, failure.Diagnostic);
        }

        (CoapObservation observation, TaskCompletionSource<Lwm2mObservation?> owner) = (started!.Coap, started.Owner);
        CoapResponse first = observation.Response;
        if (!first.IsSuccess)
        {
            owner.TrySetResult(null);
            return new ObserveResult(Lwm2mResultStatus.ErrorResponse, first.Code, Diagnostic(first));
        }

        ushort actual = first.ContentFormat ?? asked;
        (Lwm2mNode? node, string? error) = DecodeNode(first.Payload.Span, actual, path);
        Lwm2mObservation? running = observation.IsActive ? new Lwm2mObservation(observation, endpoint, registration!.Id, path, actual) : null;
        if (running is not null)
        {
            _observations[running.Id] = running;
            _ = ForgetWhenEndedAsync(running);
        }

        owner.TrySetResult(running);

        return node is null
            ? new ObserveResult(Lwm2mResultStatus.InvalidResponse, first.Code, error, contentFormat: actual, observation: running)
            : new ObserveResult(Lwm2mResultStatus.Success, first.Code, node: node, contentFormat: actual, observation: running);
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
