using System.Buffers;
using System.Text;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;

namespace Tern.Cli.Payload;

/// <summary>The outcome of a conversion: the output text, or a one-line error.</summary>
/// <param name="Output">The converted payload (hex for binary formats), when it worked.</param>
/// <param name="Error">What went wrong and where, when it did not.</param>
internal sealed record PayloadConversion(string? Output, string? Error);

/// <summary>
/// Converts a payload between two content formats. With a path, the payload is read as the node at that
/// path; without one, formats that carry paths (SenML, OMA JSON, LwM2M CBOR) are read as records and
/// formats that do not (TLV, text, opaque, CBOR) are refused with a hint to pass --path.
/// </summary>
internal static class PayloadConverter
{
    public static PayloadConversion Convert(string input, ILwm2mContentCodec from, ILwm2mContentCodec to, Lwm2mPath? path, IObjectDefinitionProvider model)
    {
        if (!TryReadInput(input, from, out byte[] payload, out string? inputError))
        {
            return new PayloadConversion(null, inputError);
        }

        var output = new ArrayBufferWriter<byte>();
        Lwm2mCodecError? error;
        if (path is { IsRoot: false } nodePath && !(from.SupportsRecords && to.SupportsRecords && nodePath.Level < Lwm2mPathLevel.Object))
        {
            Lwm2mCodecResult<Lwm2mNode> node = from.DecodeNode(payload, nodePath, model);
            if (!node.IsSuccess)
            {
                return Failed("read", from, node.Error!);
            }

            error = to.EncodeNode(nodePath, node.Value!, output);
        }
        else
        {
            if (!from.SupportsRecords)
            {
                return new PayloadConversion(null, $"{from.Name} does not carry paths: give the request path with --path, e.g. --path /3/0");
            }

            Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> records = from.DecodeRecords(payload, model);
            if (!records.IsSuccess)
            {
                return Failed("read", from, records.Error!);
            }

            error = to.SupportsRecords ? to.EncodeRecords(records.Value!, output) : EncodeAsNode(records.Value!, to, model, output);
        }

        return error is null ? new PayloadConversion(Render(output.WrittenSpan, to), null) : Failed("write", to, error);
    }

    private static Lwm2mCodecError? EncodeAsNode(IReadOnlyList<Lwm2mRecord> records, ILwm2mContentCodec to, IObjectDefinitionProvider model, IBufferWriter<byte> output)
    {
        Lwm2mPath common = CommonPath(records);
        if (common.Level < Lwm2mPathLevel.Object)
        {
            return new Lwm2mCodecError(Lwm2mCodecErrorKind.Unsupported, $"the records span several objects, which {to.Name} cannot carry in one payload");
        }

        Lwm2mCodecResult<Lwm2mNode> node = Lwm2mNodeRecords.Build(common, records, model);
        return node.IsSuccess ? to.EncodeNode(common, node.Value!, output) : node.Error;
    }

    /// <summary>The deepest path that contains every record, stopping above a resource that holds several instances.</summary>
    internal static Lwm2mPath CommonPath(IReadOnlyList<Lwm2mRecord> records)
    {
        if (records.Count == 0)
        {
            return Lwm2mPath.Root;
        }

        Lwm2mPath common = records[0].Path;
        foreach (Lwm2mRecord record in records)
        {
            while (!common.Contains(record.Path))
            {
                common = common.Parent;
            }
        }

        return common;
    }

    private static bool TryReadInput(string input, ILwm2mContentCodec from, out byte[] payload, out string? error)
    {
        error = null;
        if (!from.IsBinary)
        {
            payload = Encoding.UTF8.GetBytes(input.TrimEnd('\r', '\n'));
            return true;
        }

        var hex = new StringBuilder(input.Length);
        for (int i = 0; i < input.Length; i++)
        {
            char c = input[i];
            if (char.IsAsciiHexDigit(c))
            {
                hex.Append(c);
            }
            else if (c == 'x' && i > 0 && input[i - 1] == '0' && hex.Length > 0)
            {
                hex.Length--; // a 0x prefix
            }
            else if (!char.IsWhiteSpace(c) && c is not ':' and not '-')
            {
                payload = [];
                error = $"{from.Name} is read as hex, and character {i + 1} ('{c}') is not a hex digit";
                return false;
            }
        }

        if (hex.Length % 2 != 0)
        {
            payload = [];
            error = $"{from.Name} is read as hex, and the input has an odd number of hex digits ({hex.Length})";
            return false;
        }

        payload = System.Convert.FromHexString(hex.ToString());
        return true;
    }

    private static string Render(ReadOnlySpan<byte> bytes, ILwm2mContentCodec to) =>
        to.IsBinary ? System.Convert.ToHexString(bytes).ToLowerInvariant() : Encoding.UTF8.GetString(bytes);

    private static PayloadConversion Failed(string verb, ILwm2mContentCodec codec, Lwm2mCodecError error)
    {
        string where = error.Offset >= 0 ? $" at {(codec.IsBinary ? "byte" : "offset")} {error.Offset}" : string.Empty;
        return new PayloadConversion(null, $"cannot {verb} {codec.Name}{where}: {error.Message} ({error.Kind})");
    }
}
