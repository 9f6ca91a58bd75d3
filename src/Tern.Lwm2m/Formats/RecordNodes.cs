using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Formats;

/// <summary>
/// The two ends of every record-shaped format (SenML JSON/CBOR, LwM2M CBOR, OMA JSON): a decoder fills a
/// <see cref="RecordBuffer"/> and returns an error or null; these turn that into a node or into public records.
/// </summary>
internal static class RecordNodes
{
    /// <summary>Rents a buffer, lets <typeparamref name="TReader"/> fill it and builds the node at <paramref name="path"/>.</summary>
    public static Lwm2mCodecResult<Lwm2mNode> DecodeNode<TReader>(ReadOnlySpan<byte> payload, Lwm2mPath path, IObjectDefinitionProvider model, TimeProvider clock)
        where TReader : IRecordReader
    {
        ArgumentNullException.ThrowIfNull(model);
        using RecordBuffer records = RecordBuffer.Rent();
        return Build(TReader.Read(payload, model, clock, records, forNode: true), records, path, model);
    }

    /// <summary>Rents a buffer, lets <typeparamref name="TReader"/> fill it and returns the records as public objects.</summary>
    public static Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> DecodeRecords<TReader>(ReadOnlySpan<byte> payload, IObjectDefinitionProvider model, TimeProvider clock)
        where TReader : IRecordReader
    {
        ArgumentNullException.ThrowIfNull(model);
        using RecordBuffer records = RecordBuffer.Rent();
        return ToRecords(TReader.Read(payload, model, clock, records, forNode: false), records);
    }

    /// <summary>
    /// Builds the node at <paramref name="path"/> from decoded <paramref name="records"/>. No record format can
    /// say "a multiple resource with no instances", so no records at a multiple resource's path mean exactly that.
    /// </summary>
    public static Lwm2mCodecResult<Lwm2mNode> Build(Lwm2mCodecError? error, RecordBuffer records, Lwm2mPath path, IObjectDefinitionProvider model)
    {
        if (error is not null)
        {
            return error;
        }

        if (records.Count == 0 && path.Level == Lwm2mPathLevel.Resource
            && model.GetObject(path.ObjectId!.Value)?.GetResource(path.ResourceId!.Value) is { Multiple: true } definition)
        {
            return Lwm2mCodecResult<Lwm2mNode>.Success(new Lwm2mMultipleResource(definition.Id, definition.Type, []));
        }

        return Lwm2mNodeRecords.Build(path, records.Records, model);
    }

    /// <summary>The decoded <paramref name="records"/> as public record objects, or the decoder's error.</summary>
    public static Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> ToRecords(Lwm2mCodecError? error, RecordBuffer records) =>
        error is null ? Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>>.Success(records.ToRecords()) : error;
}
