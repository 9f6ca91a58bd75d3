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
    /// Reads several paths at once (Read-Composite: FETCH on the root with the paths as SenML records). The request
    /// and answer use <paramref name="format"/> when given, otherwise SenML CBOR, or SenML JSON when the client
    /// advertised only that; a 4.06/4.15 answer is retried once in the other SenML format. Needs LwM2M 1.1+.
    /// </summary>
    public async Task<CompositeReadResult> ReadCompositeAsync(string endpoint, IReadOnlyList<Lwm2mPath> paths, ushort? format = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
        {
            throw new ArgumentException("Read-Composite needs at least one path.", nameof(paths));
        }

        CheckRecordFormat(format);
        Lwm2mRecord[] request = [.. paths.Select(p => new Lwm2mRecord(p, null))];
        var (exchange, used) = await SendRecordsAsync(endpoint, CoapCode.Fetch, request, format, accept: true, timeout, cancellationToken).ConfigureAwait(false);
        if (exchange.Failure is { } failure)
        {
            return new CompositeReadResult(failure.Status, failure.Code, failure.Diagnostic);
        }

        CoapResponse response = exchange.Response!;
        if (!response.IsSuccess)
        {
            return new CompositeReadResult(Lwm2mResultStatus.ErrorResponse, response.Code, Diagnostic(response));
        }

        ushort actual = response.ContentFormat ?? used;
        (IReadOnlyList<Lwm2mRecord>? records, string? error) = DecodeRecords(response.Payload.Span, actual);
        return records is null
            ? new CompositeReadResult(Lwm2mResultStatus.InvalidResponse, response.Code, error, contentFormat: actual)
            : new CompositeReadResult(Lwm2mResultStatus.Success, response.Code, records: records, contentFormat: actual);
    }

    /// <summary>
    /// Writes values to several resources at once (Write-Composite: iPATCH on the root with SenML records; a record
    /// without a value deletes that resource instance). Formats as in <see cref="ReadCompositeAsync"/>.
    /// </summary>
    public async Task<Lwm2mResult> WriteCompositeAsync(string endpoint, IReadOnlyList<Lwm2mRecord> records, ushort? format = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            throw new ArgumentException("Write-Composite needs at least one record.", nameof(records));
        }

        CheckRecordFormat(format);
        var (exchange, _) = await SendRecordsAsync(endpoint, CoapCode.IPatch, records, format, accept: false, timeout, cancellationToken).ConfigureAwait(false);
        return exchange.Failure ?? ToResult(exchange.Response!);
    }

    private async Task<(Exchange Exchange, ushort Used)> SendRecordsAsync(string endpoint, CoapCode code, IReadOnlyList<Lwm2mRecord> records, ushort? format, bool accept, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ushort used = 0;
        CoapMessage Build(Registration r, ushort f)
        {
            used = f;
            return RecordsRequest(r, code, records, f, accept);
        }

        Exchange exchange = await ExchangeAsync(endpoint, r => Build(r, format ?? PreferredRecordFormat(r)), timeout, cancellationToken).ConfigureAwait(false);
        if (format is null && exchange.Response is { } refused && IsFormatRefusal(refused))
        {
            ushort other = OtherRecordFormat(used);
            Log.FormatFallback(_logger, endpoint, used, refused.Code, other);
            exchange = await ExchangeAsync(endpoint, r => Build(r, other), timeout, cancellationToken).ConfigureAwait(false);
        }

        return (exchange, used);
    }

    /// <summary>A request on the client's root carrying <paramref name="records"/> in <paramref name="format"/> (and asking for answers in it when <paramref name="accept"/>).</summary>
    private CoapMessage RecordsRequest(Registration registration, CoapCode code, IReadOnlyList<Lwm2mRecord> records, ushort format, bool accept)
    {
        var buffer = new ArrayBufferWriter<byte>();
        if (!_formats.TryGet(format, out ILwm2mContentCodec? codec) || codec.EncodeRecords(records, buffer) is not null)
        {
            throw new ArgumentException($"The records cannot be encoded in content format {format}.", nameof(records));
        }

        CoapMessage request = Request(code, registration, Lwm2mPath.Root);
        request.ContentFormat = format;
        if (accept)
        {
            request.AddOption(CoapOption.FromUInt(CoapOptionNumber.Accept, format));
        }

        request.Payload = buffer.WrittenMemory.ToArray();
        return request;
    }

    /// <summary>SenML CBOR, unless the client advertised SenML JSON and not CBOR.</summary>
    private static ushort PreferredRecordFormat(Registration registration) =>
        registration.ContentFormats.Contains(Lwm2mContentFormat.SenmlJson) && !registration.ContentFormats.Contains(Lwm2mContentFormat.SenmlCbor)
            ? Lwm2mContentFormat.SenmlJson
            : Lwm2mContentFormat.SenmlCbor;

    private static ushort OtherRecordFormat(ushort format) =>
        format == Lwm2mContentFormat.SenmlCbor ? Lwm2mContentFormat.SenmlJson : Lwm2mContentFormat.SenmlCbor;

    private (IReadOnlyList<Lwm2mRecord>? Records, string? Error) DecodeRecords(ReadOnlySpan<byte> payload, ushort format)
    {
        if (!_formats.TryGet(format, out ILwm2mContentCodec? codec) || !codec.SupportsRecords)
        {
            return (null, $"Content format {format} does not carry records.");
        }

        Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> decoded = codec.DecodeRecords(payload, _objects);
        return decoded.IsSuccess ? (decoded.Value, null) : (null, $"The {codec.Name} records do not decode: {decoded.Error}");
    }

    private void CheckRecordFormat(ushort? format)
    {
        if (format is { } f && (!_formats.TryGet(f, out ILwm2mContentCodec? codec) || !codec.SupportsRecords))
        {
            throw new ArgumentException($"Content format {f} does not carry records; use SenML CBOR (112) or SenML JSON (110).", nameof(format));
        }
    }
}
