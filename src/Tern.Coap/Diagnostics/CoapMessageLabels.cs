using System.Globalization;
using System.Text;
using Tern.Coap.Messages;

namespace Tern.Coap.Diagnostics;

/// <summary>
/// Names a recorded message for a chart. <see cref="CoapMessageLabels.Describe"/> gives CoAP names; upper layers plug
/// in their own (an LwM2M labeller says "Register" where CoAP says "CON POST /rd").
/// </summary>
/// <param name="entry">A <see cref="CoapTraceKind.Sent"/> or <see cref="CoapTraceKind.Received"/> entry.</param>
/// <returns>A one-line label; the chart escapes whatever it contains.</returns>
public delegate string CoapMessageLabeller(CoapTraceEntry entry);

/// <summary>CoAP-level labels for recorded messages: "CON POST /rd?ep=dev1&amp;lt=300", "ACK 2.01 Created".</summary>
public static class CoapMessageLabels
{
    /// <summary>The suffix marking a retransmitted (or network-duplicated) message.</summary>
    public const string RetransmissionSuffix = " (retransmission)";

    /// <summary>The default labeller: <see cref="Describe"/>.</summary>
    public static CoapMessageLabeller Default { get; } = Describe;

    /// <summary>
    /// Describes an entry in CoAP terms: type, method and URI for a request ("CON GET /3/0 observe=0"), type, code and
    /// name for a response ("ACK 2.05 Content"), "CON ping", "ACK", "RST" for empty messages, the format error for
    /// bytes that are not CoAP, and the note's text for a note. Retransmissions end with <see cref="RetransmissionSuffix"/>.
    /// </summary>
    public static string Describe(CoapTraceEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Kind == CoapTraceKind.Note)
        {
            return entry.Note ?? "";
        }

        if (entry.Message is not { } message)
        {
            return string.Create(CultureInfo.InvariantCulture, $"undecodable {entry.Datagram.Length} B ({entry.FormatError}){(entry.Truncated ? " truncated" : "")}");
        }

        var text = new StringBuilder(TypeName(message.Type));
        if (message.Code.IsEmpty)
        {
            if (message.Type == CoapMessageType.Confirmable)
            {
                text.Append(" ping");
            }
        }
        else if (message.Code.IsRequest)
        {
            text.Append(' ').Append(MethodName(message.Code)).Append(' ').Append(UriOf(message));
            if (message.Observe is { } observe)
            {
                text.Append(CultureInfo.InvariantCulture, $" observe={observe}");
            }
        }
        else
        {
            text.Append(' ').Append(CodeText(message.Code));
            if (entry.IsNotification && message.Observe is { } sequence)
            {
                text.Append(CultureInfo.InvariantCulture, $" notification {sequence}");
            }
        }

        if (entry.IsRetransmission)
        {
            text.Append(RetransmissionSuffix);
        }

        return text.ToString();
    }

    /// <summary>CON, NON, ACK or RST.</summary>
    public static string TypeName(CoapMessageType type) => type switch
    {
        CoapMessageType.Confirmable => "CON",
        CoapMessageType.NonConfirmable => "NON",
        CoapMessageType.Acknowledgement => "ACK",
        CoapMessageType.Reset => "RST",
        _ => ((int)type).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>GET, POST, PUT, DELETE, FETCH, PATCH, iPATCH, or the code (<c>0.09</c>) for an unassigned method.</summary>
    public static string MethodName(CoapCode code) => code.Value switch
    {
        1 => "GET",
        2 => "POST",
        3 => "PUT",
        4 => "DELETE",
        5 => "FETCH",
        6 => "PATCH",
        7 => "iPATCH",
        _ => code.ToString(),
    };

    /// <summary>A code with its RFC name: "2.05 Content", "4.04 Not Found"; just the code when it has no registered name.</summary>
    public static string CodeText(CoapCode code) => CodeName(code) is { } name ? $"{code} {name}" : code.ToString();

    /// <summary>The registered name of a response code ("Content" for 2.05), or null.</summary>
    public static string? CodeName(CoapCode code) => (code.Class, code.Detail) switch
    {
        (2, 1) => "Created",
        (2, 2) => "Deleted",
        (2, 3) => "Valid",
        (2, 4) => "Changed",
        (2, 5) => "Content",
        (2, 31) => "Continue",
        (4, 0) => "Bad Request",
        (4, 1) => "Unauthorized",
        (4, 2) => "Bad Option",
        (4, 3) => "Forbidden",
        (4, 4) => "Not Found",
        (4, 5) => "Method Not Allowed",
        (4, 6) => "Not Acceptable",
        (4, 8) => "Request Entity Incomplete",
        (4, 9) => "Conflict",
        (4, 12) => "Precondition Failed",
        (4, 13) => "Request Entity Too Large",
        (4, 15) => "Unsupported Content-Format",
        (5, 0) => "Internal Server Error",
        (5, 1) => "Not Implemented",
        (5, 2) => "Bad Gateway",
        (5, 3) => "Service Unavailable",
        (5, 4) => "Gateway Timeout",
        (5, 5) => "Proxying Not Supported",
        _ => null,
    };

    /// <summary>The request's path and query as a relative URI: "/rd?ep=dev1&amp;lt=300".</summary>
    public static string UriOf(CoapMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        string query = string.Join('&', message.UriQueries);
        return query.Length == 0 ? message.UriPath : $"{message.UriPath}?{query}";
    }
}
