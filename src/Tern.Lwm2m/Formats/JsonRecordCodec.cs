using System.Buffers;
using System.Text.Json;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Formats;

/// <summary>One JSON record format (SenML JSON, OMA JSON): how it reads a payload and writes into a JSON writer.</summary>
internal interface IJsonRecordFormat : IRecordReader
{
    /// <summary>Writes <paramref name="node"/>, which lives at <paramref name="path"/>, as one document.</summary>
    static abstract Lwm2mCodecError? WriteNode(Utf8JsonWriter writer, Lwm2mPath path, Lwm2mNode node);

    /// <summary>Writes <paramref name="records"/> as one document.</summary>
    static abstract Lwm2mCodecError? WriteRecords(Utf8JsonWriter writer, IReadOnlyList<Lwm2mRecord> records);
}

/// <summary>
/// The encoding half every JSON codec shares: argument checks, the per-thread <see cref="Utf8JsonWriter"/>
/// rented from <see cref="JsonSupport"/>, and its return. Generic over the format so nothing is allocated per call.
/// </summary>
internal static class JsonRecordCodec
{
    /// <summary>Encodes <paramref name="node"/> at <paramref name="path"/> into <paramref name="output"/>.</summary>
    public static Lwm2mCodecError? EncodeNode<TFormat>(Lwm2mPath path, Lwm2mNode node, IBufferWriter<byte> output)
        where TFormat : IJsonRecordFormat
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(output);
        if (!CodecModel.FitsLevel(path, node))
        {
            return new Lwm2mCodecError(Lwm2mCodecErrorKind.PathMismatch, $"A {node.GetType().Name} does not live at {path}.");
        }

        Utf8JsonWriter writer = JsonSupport.RentWriter(output);
        Lwm2mCodecError? error = TFormat.WriteNode(writer, path, node);
        JsonSupport.ReturnWriter(writer);
        return error;
    }

    /// <summary>Encodes <paramref name="records"/> into <paramref name="output"/>.</summary>
    public static Lwm2mCodecError? EncodeRecords<TFormat>(IReadOnlyList<Lwm2mRecord> records, IBufferWriter<byte> output)
        where TFormat : IJsonRecordFormat
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(output);
        Utf8JsonWriter writer = JsonSupport.RentWriter(output);
        Lwm2mCodecError? error = TFormat.WriteRecords(writer, records);
        JsonSupport.ReturnWriter(writer);
        return error;
    }
}
