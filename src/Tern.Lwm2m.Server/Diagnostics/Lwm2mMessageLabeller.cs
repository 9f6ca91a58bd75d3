using Tern.Coap.Diagnostics;
using Tern.Coap.Messages;
using Tern.Coap.Transport;
using Tern.Lwm2m.Formats;

namespace Tern.Lwm2m.Server.Diagnostics;

/// <summary>
/// Names recorded CoAP messages as LwM2M operations for message sequence charts: "Register /rd?ep=dev1&amp;lt=300",
/// "Read /3/0/9", "Notify /3/0/9", "2.05 Content", "Ping". Plug <see cref="Label"/> into
/// <see cref="MermaidChartOptions.Labeller"/>. It tells the Bootstrap interface's Write, Delete, Discover and Read from
/// the Device Management ones by following each client's bootstrap session (from Bootstrap-Request to the answer to
/// Bootstrap-Finish), so it keeps state: use one instance per chart and feed it the entries in order.
/// Messages that are not LwM2M operations keep their CoAP labels (<see cref="CoapMessageLabels.Describe"/>).
/// </summary>
/// <remarks>
/// It lives beside the server because it reads CoAP messages and Tern.Lwm2m knows no CoAP; a client-side chart uses
/// it just the same (the names do not depend on which side recorded).
/// </remarks>
public sealed class Lwm2mMessageLabeller
{
    private readonly HashSet<(CoapPeer, CoapPeer)> _bootstrapping = [];

    /// <summary>The label of <paramref name="entry"/>; a retransmission ends with <see cref="CoapMessageLabels.RetransmissionSuffix"/>.</summary>
    public string Label(CoapTraceEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Message is not { } message || entry.Remote is not { } remote)
        {
            return CoapMessageLabels.Describe(entry);
        }

        (CoapPeer, CoapPeer) pair = Pair(entry.Local, remote);
        string? label;
        if (message.Code.IsRequest)
        {
            string? operation = Operation(message, _bootstrapping.Contains(pair));
            if (operation is "Bootstrap-Request")
            {
                _bootstrapping.Add(pair);
            }
            else if (operation is "Register")
            {
                _bootstrapping.Remove(pair);
            }

            label = operation is null ? null : Describe(operation, message);
        }
        else if (message.Code.IsResponse)
        {
            if (entry.Request is { } request && Operation(request, bootstrapSession: true) == "Bootstrap-Finish")
            {
                _bootstrapping.Remove(pair);
            }

            label = entry.IsNotification ? Notify(entry.Request) : Response(message);
        }
        else
        {
            label = message.Type switch
            {
                CoapMessageType.Confirmable => "Ping",
                CoapMessageType.Reset => "RST",
                CoapMessageType.Acknowledgement => "ACK",
                _ => null,
            };
        }

        if (label is null)
        {
            return CoapMessageLabels.Describe(entry);
        }

        return entry.IsRetransmission ? label + CoapMessageLabels.RetransmissionSuffix : label;
    }

    /// <summary>
    /// The LwM2M operation a request carries (TS Transport Bindings, the CoAP mapping): "Register", "Update",
    /// "De-register", "Bootstrap-Request", "Bootstrap-Finish", "Send", "Read", "Write", "Execute", …; null when it is
    /// none. <paramref name="bootstrapSession"/> says whether the request falls inside a bootstrap session, where PUT,
    /// DELETE and GET are Bootstrap-Write, -Delete, -Discover and -Read.
    /// </summary>
    public static string? Operation(CoapMessage request, bool bootstrapSession)
    {
        ArgumentNullException.ThrowIfNull(request);
        string[] path = [.. request.GetOptions(CoapOptionNumber.UriPath).Select(o => o.GetString())];
        bool objectPath = path.Length is >= 1 and <= 4 && path.All(IsIdentifier);
        bool root = path.Length == 0;
        uint? observe = request.Observe;
        switch (request.Code.Value)
        {
            case 2: // POST
                return path switch
                {
                    ["rd"] => "Register",
                    ["rd", _] => "Update",
                    ["bs"] => request.UriQueries.Any(q => q.StartsWith("ep=", StringComparison.Ordinal)) ? "Bootstrap-Request" : "Bootstrap-Finish",
                    ["dp"] => "Send",
                    _ when !objectPath => null,
                    [_] => "Create",
                    [_, _] => "Write (partial update)",
                    _ => "Execute",
                };
            case 3: // PUT
                if (!objectPath)
                {
                    return null;
                }

                if (request.UriQueries.Any() && request.Payload.IsEmpty)
                {
                    return "Write-Attributes";
                }

                return bootstrapSession ? "Bootstrap-Write" : "Write";
            case 4: // DELETE
                return path switch
                {
                    ["rd", _] => "De-register",
                    _ when root || (bootstrapSession && objectPath) => "Bootstrap-Delete",
                    _ when objectPath => "Delete",
                    _ => null,
                };
            case 1: // GET
                if (path is ["bspack"])
                {
                    return "Bootstrap-Pack-Request";
                }

                if (!objectPath && !root)
                {
                    return null;
                }

                return observe switch
                {
                    0 => "Observe",
                    1 => "Cancel Observation",
                    _ when request.GetUIntOption(CoapOptionNumber.Accept) == Lwm2mContentFormat.LinkFormat => bootstrapSession ? "Bootstrap-Discover" : "Discover",
                    _ => bootstrapSession ? "Bootstrap-Read" : "Read",
                };
            case 5: // FETCH
                return observe switch
                {
                    0 => "Observe-Composite",
                    1 => "Cancel Observation-Composite",
                    _ => "Read-Composite",
                };
            case 7: // iPATCH
                return "Write-Composite";
            default:
                return null;
        }
    }

    private static string Describe(string operation, CoapMessage request)
    {
        // Composite operations name their paths in the payload; the URI is just the root.
        if (request.Code.Value is 5 or 7 && request.UriPath == "/" && !request.UriQueries.Any())
        {
            return operation;
        }

        return $"{operation} {CoapMessageLabels.UriOf(request)}";
    }

    private static string Response(CoapMessage response)
    {
        string text = CoapMessageLabels.CodeText(response.Code);
        if (response.Code == CoapCode.Created && response.HasOption(CoapOptionNumber.LocationPath))
        {
            text += " /" + string.Join('/', response.GetOptions(CoapOptionNumber.LocationPath).Select(o => o.GetString()));
        }

        return text;
    }

    private static string Notify(CoapMessage? request) =>
        request is null || request.Code.Value == 5 || request.UriPath == "/" ? "Notify" : $"Notify {request.UriPath}";

    private static bool IsIdentifier(string segment) =>
        segment.Length is >= 1 and <= 5 && segment.All(char.IsAsciiDigit) && int.Parse(segment, System.Globalization.CultureInfo.InvariantCulture) <= ushort.MaxValue;

    private static (CoapPeer, CoapPeer) Pair(CoapPeer a, CoapPeer b) =>
        string.CompareOrdinal(a.ToString(), b.ToString()) <= 0 ? (a, b) : (b, a);
}
