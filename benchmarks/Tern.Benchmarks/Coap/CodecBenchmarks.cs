using System.Buffers;
using BenchmarkDotNet.Attributes;
using Tern.Coap.Messages;

namespace Tern.Benchmarks.Coap;

/// <summary>
/// Encode and decode of an LwM2M-like Write request (CON PUT /3303/0/5700, Content-Format 110
/// SenML JSON, an 8-byte token and a payload) whose datagram is exactly <see cref="Size"/> bytes long.
/// </summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    // 4 header + 8 token + 5 + 2 + 5 (three Uri-Path options) + 2 (Content-Format 110) + 1 marker.
    private const int Overhead = 27;

    private CoapMessage _message = null!;
    private byte[] _datagram = null!;
    private byte[] _buffer = null!;
    private ArrayBufferWriter<byte> _writer = null!;

    /// <summary>Total datagram size in bytes.</summary>
    [Params(64, 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        byte[] payload = new byte[Size - Overhead];
        new Random(42).NextBytes(payload);
        _message = new CoapMessage
        {
            Type = CoapMessageType.Confirmable,
            Code = CoapCode.Put,
            MessageId = 0x7d34,
            Token = new byte[] { 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04 },
            Payload = payload,
        };
        _message.SetUriPath("/3303/0/5700");
        _message.ContentFormat = 110;
        _datagram = CoapMessageCodec.Encode(_message);
        if (_datagram.Length != Size)
        {
            throw new InvalidOperationException($"The benchmark message is {_datagram.Length} bytes, not {Size}.");
        }

        _buffer = new byte[2048];
        _writer = new ArrayBufferWriter<byte>(2048);
    }

    /// <summary>TryEncode into a preallocated buffer (target: 0 bytes allocated).</summary>
    [Benchmark]
    public int TryEncode()
    {
        CoapMessageCodec.TryEncode(_message, _buffer, out int written);
        return written;
    }

    /// <summary>Encode into a reused <see cref="ArrayBufferWriter{T}"/> (target: 0 bytes allocated).</summary>
    [Benchmark]
    public int EncodeToBufferWriter()
    {
        _writer.ResetWrittenCount();
        return CoapMessageCodec.Encode(_message, _writer);
    }

    /// <summary>Validates the datagram and walks header, token and options in place (target: 0 bytes allocated).</summary>
    [Benchmark]
    public int ParseAndEnumerateOptions()
    {
        if (CoapMessageReader.TryParse(_datagram, out CoapMessageReader reader) != CoapFormatError.None)
        {
            return -1;
        }

        int sum = reader.Header.MessageId + reader.Token.Length + reader.Payload.Length;
        foreach (CoapOptionView option in reader.Options)
        {
            sum += option.Number + option.Value.Length;
        }

        return sum;
    }

    /// <summary>Full decode into a new <see cref="CoapMessage"/> (allocates the message and copies).</summary>
    [Benchmark]
    public CoapMessage? TryDecode()
    {
        CoapMessageCodec.TryDecode(_datagram, out CoapMessage? message);
        return message;
    }
}
