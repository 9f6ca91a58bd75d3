using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Server.Registrations;

namespace Tern.Lwm2m.Server;

public sealed partial class Lwm2mServer
{
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(86400);

    // Register, Update, De-register and expiry read-modify-write the store; one at a time keeps them consistent.
    private readonly SemaphoreSlim _registrationGate = new(1, 1);

    private async ValueTask<CoapResponse?> HandleAsync(CoapRequestContext context, CancellationToken cancellationToken)
    {
        CoapMessage request = context.Request;
        string[] segments = [.. request.GetOptions(CoapOptionNumber.UriPath).Select(o => o.GetString())];
        if (segments is ["dp"])
        {
            return request.Code == CoapCode.Post ? await ReceiveSendAsync(context, cancellationToken).ConfigureAwait(false) : new CoapResponse(CoapCode.MethodNotAllowed);
        }

        if (segments is [Tern.Lwm2m.Server.Firmware.FirmwareImageLibrary.PathSegment, string imageId])
        {
            return ServeFirmwareImage(request, imageId);
        }

        if (segments.Length == 0 || segments[0] != "rd" || segments.Length > 2)
        {
            return new CoapResponse(CoapCode.NotFound);
        }

        if (segments.Length == 1)
        {
            return request.Code == CoapCode.Post ? await RegisterAsync(context, cancellationToken).ConfigureAwait(false) : new CoapResponse(CoapCode.MethodNotAllowed);
        }

        if (request.Code == CoapCode.Post)
        {
            return await UpdateAsync(context, segments[1], cancellationToken).ConfigureAwait(false);
        }

        return request.Code == CoapCode.Delete ? await DeregisterAsync(context, segments[1], cancellationToken).ConfigureAwait(false) : new CoapResponse(CoapCode.MethodNotAllowed);
    }

    private async ValueTask<CoapResponse> RegisterAsync(CoapRequestContext context, CancellationToken cancellationToken)
    {
        CoapMessage request = context.Request;
        var (parsed, error) = RegistrationRequestParser.Parse(request.UriQueries, request.Payload.Span, request.ContentFormat, isRegister: true);
        if (error is not null)
        {
            return Refuse(context, error);
        }

        if (Authorize(context.Peer, parsed!.Endpoint!) is { } forbidden)
        {
            return forbidden;
        }

        DateTimeOffset now = _time.GetUtcNow();
        string version = parsed!.Lwm2mVersion ?? "1.0";
        string binding = parsed.Binding ?? "U";
        RegistrationLinks links = parsed.Links ?? new RegistrationLinks("", [], [], new Dictionary<int, string>());
        var registration = new Registration
        {
            Endpoint = parsed.Endpoint!,
            Id = NewRegistrationId(),
            Lwm2mVersion = version,
            Binding = binding,
            QueueMode = parsed.QueueMode || (version == "1.0" && binding.Contains('Q', StringComparison.Ordinal)),
            Lifetime = parsed.Lifetime ?? DefaultLifetime,
            SmsNumber = parsed.SmsNumber,
            RootPath = links.RootPath,
            ObjectLinks = links.ObjectLinks,
            ContentFormats = links.ContentFormats,
            ObjectVersions = links.ObjectVersions,
            Peer = context.Peer,
            RegisteredAt = now,
            UpdatedAt = now,
        };

        Registration? replaced;
        await _registrationGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            replaced = await Store.AddOrReplaceAsync(registration, cancellationToken).ConfigureAwait(false);
            if (replaced is not null)
            {
                StopExpiry(replaced.Id);
            }

            ScheduleExpiry(registration);
        }
        finally
        {
            _registrationGate.Release();
        }

        Log.Registered(_logger, registration.Endpoint, registration.Id, registration.Peer, registration.Lwm2mVersion, registration.Lifetime);
        if (replaced is not null)
        {
            CancelObservations(replaced);
        }

        Raise(Registered, new RegistrationEventArgs(registration, replaced), nameof(Registered));
        MarkAwake(registration);
        var response = new CoapResponse(CoapCode.Created);
        response.Message.AddOption(CoapOption.FromString(CoapOptionNumber.LocationPath, "rd"));
        response.Message.AddOption(CoapOption.FromString(CoapOptionNumber.LocationPath, registration.Id));
        return response;
    }

    private async ValueTask<CoapResponse> UpdateAsync(CoapRequestContext context, string id, CancellationToken cancellationToken)
    {
        CoapMessage request = context.Request;
        var (parsed, error) = RegistrationRequestParser.Parse(request.UriQueries, request.Payload.Span, request.ContentFormat, isRegister: false);
        if (error is not null)
        {
            return Refuse(context, error);
        }

        Registration? previous;
        Registration updated;
        await _registrationGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            previous = await Store.GetByIdAsync(id, cancellationToken).ConfigureAwait(false);
            if (previous is null)
            {
                return CoapResponse.Text(CoapCode.NotFound, $"No registration {id}; register again.");
            }

            if (Authorize(context.Peer, previous.Endpoint) is { } forbidden)
            {
                return forbidden;
            }

            updated = previous with
            {
                Lifetime = parsed!.Lifetime ?? previous.Lifetime,
                Binding = parsed.Binding ?? previous.Binding,
                SmsNumber = parsed.SmsNumber ?? previous.SmsNumber,
                Peer = context.Peer,
                UpdatedAt = _time.GetUtcNow(),
            };
            if (parsed.Links is { } links)
            {
                updated = updated with
                {
                    RootPath = links.RootPath,
                    ObjectLinks = links.ObjectLinks,
                    ContentFormats = links.ContentFormats.Count > 0 ? links.ContentFormats : previous.ContentFormats,
                    ObjectVersions = links.ObjectVersions,
                };
            }

            await Store.UpdateAsync(updated, cancellationToken).ConfigureAwait(false);
            StopExpiry(previous.Id);
            ScheduleExpiry(updated);
        }
        finally
        {
            _registrationGate.Release();
        }

        Log.Updated(_logger, updated.Endpoint, updated.Id, updated.Peer);
        Raise(Updated, new RegistrationEventArgs(updated, previous), nameof(Updated));
        MarkAwake(updated);
        return new CoapResponse(CoapCode.Changed);
    }

    private async ValueTask<CoapResponse> DeregisterAsync(CoapRequestContext context, string id, CancellationToken cancellationToken)
    {
        Registration? removed;
        await _registrationGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await Store.GetByIdAsync(id, cancellationToken).ConfigureAwait(false) is { } existing && Authorize(context.Peer, existing.Endpoint) is { } forbidden)
            {
                return forbidden;
            }

            removed = await Store.RemoveAsync(id, cancellationToken).ConfigureAwait(false);
            if (removed is not null)
            {
                StopExpiry(removed.Id);
            }
        }
        finally
        {
            _registrationGate.Release();
        }

        if (removed is null)
        {
            return CoapResponse.Text(CoapCode.NotFound, $"No registration {id}.");
        }

        Log.Deregistered(_logger, removed.Endpoint, removed.Id);
        CancelObservations(removed);
        WakeWaitersOfGone(removed);
        Raise(Deregistered, new RegistrationEventArgs(removed), nameof(Deregistered));
        return new CoapResponse(CoapCode.Deleted);
    }

    private CoapResponse Refuse(CoapRequestContext context, RegistrationError error)
    {
        Log.Refused(_logger, context.Peer, error.Code, error.Message);
        return CoapResponse.Text(error.Code, error.Message);
    }

    private string NewRegistrationId()
    {
        Span<byte> bytes = stackalloc byte[6];
        lock (_random)
        {
            _random.NextBytes(bytes);
        }

        return Convert.ToHexStringLower(bytes);
    }
}
