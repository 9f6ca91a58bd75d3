using System.Globalization;
using Tern.Coap.Messages;

namespace Tern.Lwm2m.Client.Engine;

/// <summary>Builds the client-initiated requests of the bootstrap interface.</summary>
public static class BootstrapMessages
{
    /// <summary>
    /// Bootstrap-Request: a confirmable POST /bs?ep=NAME, with <c>&amp;pct=FORMAT</c> (LwM2M 1.1 and later) when a
    /// preferred content format is given.
    /// </summary>
    /// <param name="endpointName">The endpoint client name (<c>ep</c>).</param>
    /// <param name="preferredContentFormat">The <c>pct</c>, or null to leave it out (LwM2M 1.0 has none).</param>
    public static CoapMessage BootstrapRequest(string endpointName, ushort? preferredContentFormat)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpointName);
        var message = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Post };
        message.AddOption(CoapOption.FromString(CoapOptionNumber.UriPath, "bs"));
        message.AddOption(CoapOption.FromString(CoapOptionNumber.UriQuery, "ep=" + endpointName));
        if (preferredContentFormat is { } pct)
        {
            message.AddOption(CoapOption.FromString(CoapOptionNumber.UriQuery, "pct=" + pct.ToString(CultureInfo.InvariantCulture)));
        }

        return message;
    }

    /// <summary>Whether a request is Bootstrap-Finish (POST /bs without a query).</summary>
    /// <param name="request">The incoming request.</param>
    public static bool IsBootstrapFinish(CoapMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Code == CoapCode.Post && request.UriPath == "/bs" && !request.UriQueries.Any();
    }
}
