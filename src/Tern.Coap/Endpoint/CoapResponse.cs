using System.Text;
using Tern.Coap.Messages;

namespace Tern.Coap.Endpoint;

/// <summary>
/// A CoAP response as the application sees it: code, options and the whole payload (block-wise bodies arrive
/// reassembled and leave sliced by the engine). Wraps a <see cref="CoapMessage"/> whose type, message ID and token
/// the engine manages.
/// </summary>
public sealed class CoapResponse
{
    /// <summary>Creates a response with a code and an optional payload.</summary>
    public CoapResponse(CoapCode code, ReadOnlyMemory<byte> payload = default)
    {
        if (!code.IsResponse)
        {
            throw new ArgumentException($"A response needs a response code (2.xx–5.xx), not {code}.", nameof(code));
        }

        Message = new CoapMessage { Code = code, Payload = payload };
    }

    /// <summary>Wraps a received or prepared response message.</summary>
    public CoapResponse(CoapMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Message = message;
    }

    /// <summary>The underlying message (add options here).</summary>
    public CoapMessage Message { get; }

    /// <summary>The response code.</summary>
    public CoapCode Code => Message.Code;

    /// <summary>True for 2.xx.</summary>
    public bool IsSuccess => Message.Code.IsSuccess;

    /// <summary>The options.</summary>
    public IReadOnlyList<CoapOption> Options => Message.Options;

    /// <summary>The full payload.</summary>
    public ReadOnlyMemory<byte> Payload => Message.Payload;

    /// <summary>The Content-Format, or null.</summary>
    public ushort? ContentFormat
    {
        get => Message.ContentFormat;
        set => Message.ContentFormat = value;
    }

    /// <summary>The payload read as UTF-8 text.</summary>
    public string PayloadText => Encoding.UTF8.GetString(Message.Payload.Span);

    /// <summary>A response with a UTF-8 text payload and Content-Format 0 (text/plain).</summary>
    public static CoapResponse Text(CoapCode code, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new CoapResponse(code, Encoding.UTF8.GetBytes(text)) { ContentFormat = 0 };
    }

    /// <inheritdoc />
    public override string ToString() => $"{Code} ({Message.Payload.Length} B)";
}
