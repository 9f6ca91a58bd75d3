using System.Buffers;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Operations;
using Tern.Lwm2m.Server.Registrations;

namespace Tern.Lwm2m.Server;

public sealed partial class Lwm2mServer
{
    /// <summary>
    /// Reads <paramref name="path"/> from the client registered as <paramref name="endpoint"/>. Asks in
    /// <paramref name="format"/> when given; otherwise negotiates (the client's advertised formats, SenML CBOR for
    /// 1.1+, TLV for 1.0) and retries once in another format when the client answers 4.06.
    /// </summary>
    public async Task<ReadResult> ReadAsync(string endpoint, Lwm2mPath path, ushort? format = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        CheckFormat(format);
        ushort asked = 0;
        Exchange exchange = await ExchangeAsync(endpoint, r => ReadRequest(r, path, asked = format ?? FormatNegotiation.Preferred(r, new(_formats))), timeout, cancellationToken).ConfigureAwait(false);
        if (format is null && exchange.Response is { } refused && IsFormatRefusal(refused)
            && FormatNegotiation.Fallback(exchange.Registration!, path, asked, new(_formats)) is { } fallback)
        {
            Log.FormatFallback(_logger, endpoint, asked, refused.Code, fallback);
            asked = fallback;
            exchange = await ExchangeAsync(endpoint, r => ReadRequest(r, path, fallback), timeout, cancellationToken).ConfigureAwait(false);
        }

        if (exchange.Failure is { } failure)
        {
            return new ReadResult(failure.Status, failure.Code, failure.Diagnostic);
        }

        CoapResponse response = exchange.Response!;
        if (!response.IsSuccess)
        {
            return new ReadResult(Lwm2mResultStatus.ErrorResponse, response.Code, Diagnostic(response));
        }

        ushort actual = response.ContentFormat ?? asked;
        (Lwm2mNode? node, string? error) = DecodeNode(response.Payload.Span, actual, path);
        return node is null
            ? new ReadResult(Lwm2mResultStatus.InvalidResponse, response.Code, error, contentFormat: actual)
            : new ReadResult(Lwm2mResultStatus.Success, response.Code, node: node, contentFormat: actual);
    }

    /// <summary>
    /// Writes <paramref name="node"/> to <paramref name="path"/>: replacing it (PUT) or updating only the given
    /// resources (POST). Encodes in <paramref name="format"/> when given, otherwise negotiates as
    /// <see cref="ReadAsync"/> does and retries once in another format on 4.15.
    /// </summary>
    public async Task<Lwm2mResult> WriteAsync(string endpoint, Lwm2mPath path, Lwm2mNode node, Lwm2mWriteMode mode = Lwm2mWriteMode.Replace, ushort? format = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        CheckFormat(format);
        if (path.IsRoot)
        {
            throw new ArgumentException("Write needs an object, instance, resource or resource-instance path.", nameof(path));
        }

        CoapCode code = mode == Lwm2mWriteMode.Replace ? CoapCode.Put : CoapCode.Post;
        return await SendNodeAsync(endpoint, code, path, node, format, timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates an object instance under the object <paramref name="path"/> (POST), encoded as <see cref="WriteAsync"/> does.</summary>
    public async Task<Lwm2mResult> CreateAsync(string endpoint, Lwm2mPath path, Lwm2mObjectInstance instance, ushort? format = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        CheckFormat(format);
        if (path.Level != Lwm2mPathLevel.Object)
        {
            throw new ArgumentException("Create takes an object path such as /3303.", nameof(path));
        }

        var node = new Lwm2mObject(path.ObjectId!.Value, [instance]);
        return await SendNodeAsync(endpoint, CoapCode.Post, path, node, format, timeout, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Lwm2mResult> SendNodeAsync(string endpoint, CoapCode code, Lwm2mPath path, Lwm2mNode node, ushort? format, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ushort used = 0;
        CoapMessage Build(Registration r, ushort first, bool mayFallBack)
        {
            var buffer = new ArrayBufferWriter<byte>();
            Lwm2mCodecError? error = Encode(first, path, node, buffer);
            used = first;

            // A node the preferred format cannot carry (say, a multiple resource in text) goes out in the fallback format.
            if (error is not null && mayFallBack && FormatNegotiation.Fallback(r, path, first, new(_formats)) is { } other)
            {
                buffer.Clear();
                error = Encode(other, path, node, buffer);
                used = other;
            }

            if (error is not null)
            {
                throw new ArgumentException($"The node cannot be written to {path} in content format {used}: {error.Message}", nameof(node));
            }

            CoapMessage request = Request(code, r, path);
            request.ContentFormat = used;
            request.Payload = buffer.WrittenMemory.ToArray();
            return request;
        }

        Exchange exchange = await ExchangeAsync(endpoint, r => Build(r, format ?? FormatNegotiation.Preferred(r, new(_formats)), format is null), timeout, cancellationToken).ConfigureAwait(false);
        if (format is null && exchange.Response is { } refused && refused.Code == CoapCode.UnsupportedContentFormat
            && FormatNegotiation.Fallback(exchange.Registration!, path, used, new(_formats)) is { } fallback)
        {
            Log.FormatFallback(_logger, endpoint, used, refused.Code, fallback);
            exchange = await ExchangeAsync(endpoint, r => Build(r, fallback, mayFallBack: false), timeout, cancellationToken).ConfigureAwait(false);
        }

        return exchange.Failure ?? ToResult(exchange.Response!);
    }

    private Lwm2mCodecError? Encode(ushort format, Lwm2mPath path, Lwm2mNode node, IBufferWriter<byte> output) =>
        _formats.TryGet(format, out ILwm2mContentCodec? codec)
            ? codec.EncodeNode(path, node, output)
            : new Lwm2mCodecError(Lwm2mCodecErrorKind.Unsupported, $"Content format {format} is not registered.");

    private (Lwm2mNode? Node, string? Error) DecodeNode(ReadOnlySpan<byte> payload, ushort format, Lwm2mPath path)
    {
        if (!_formats.TryGet(format, out ILwm2mContentCodec? codec))
        {
            return (null, $"The client answered in content format {format}, which this server cannot decode.");
        }

        Lwm2mCodecResult<Lwm2mNode> decoded = codec.DecodeNode(payload, path, _objects);
        return decoded.IsSuccess ? (decoded.Value, null) : (null, $"The client's {codec.Name} payload does not decode: {decoded.Error}");
    }

    private void CheckFormat(ushort? format)
    {
        if (format is { } f && !_formats.TryGet(f, out _))
        {
            throw new ArgumentException($"Content format {f} is not one this server knows.", nameof(format));
        }
    }
}
