using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Operations;
using Tern.Lwm2m.Server.Registrations;

namespace Tern.Lwm2m.Server;

public sealed partial class Lwm2mServer
{
    /// <summary>A registered client pushed data with Send.</summary>
    public event EventHandler<SendEventArgs>? DataReceived;

    /// <summary>Serves POST /dp: decodes the records, raises <see cref="DataReceived"/>, and wakes a queue-mode client.</summary>
    private async ValueTask<CoapResponse> ReceiveSendAsync(CoapRequestContext context, CancellationToken cancellationToken)
    {
        CoapMessage request = context.Request;

        // The sender is known by its address (the registration's peer). A store scan is linear in registrations.
        Registration? registration = null;
        foreach (Registration candidate in await Store.GetAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (candidate.Peer == context.Peer)
            {
                registration = candidate;
                break;
            }
        }

        if (registration is null)
        {
            return CoapResponse.Text(CoapCode.Forbidden, "Send is accepted only from a registered client; register first.");
        }

        if (request.ContentFormat is not { } format || !_formats.TryGet(format, out var codec) || !codec.SupportsRecords)
        {
            return CoapResponse.Text(CoapCode.UnsupportedContentFormat, "Send data must be SenML CBOR (112), SenML JSON (110) or LwM2M CBOR records.");
        }

        (IReadOnlyList<Lwm2mRecord>? records, string? error) = DecodeRecords(request.Payload.Span, format);
        if (records is null)
        {
            return CoapResponse.Text(CoapCode.BadRequest, error!);
        }

        MarkAwake(registration);
        if (DataReceived is { } handler)
        {
            try
            {
                handler(this, new SendEventArgs(registration, records, format, _time.GetUtcNow()));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Log.EventHandlerFailed(_logger, nameof(DataReceived), registration.Endpoint, ex);
            }
        }

        return new CoapResponse(CoapCode.Changed);
    }
}
