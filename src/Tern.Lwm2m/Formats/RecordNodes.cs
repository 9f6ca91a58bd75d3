using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Formats;

/// <summary>The node read of every record-shaped format (SenML JSON/CBOR, LwM2M CBOR, OMA JSON): decode records, then build.</summary>
internal static class RecordNodes
{
    /// <summary>
    /// Builds the node at <paramref name="path"/> from decoded <paramref name="records"/>. No record format can
    /// say "a multiple resource with no instances", so no records at a multiple resource's path mean exactly that.
    /// </summary>
    public static Lwm2mCodecResult<Lwm2mNode> Build(Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> records, Lwm2mPath path, IObjectDefinitionProvider model)
    {
        if (!records.IsSuccess)
        {
            return records.Error!;
        }

        if (records.Value!.Count == 0 && path.Level == Lwm2mPathLevel.Resource
            && model.GetObject(path.ObjectId!.Value)?.GetResource(path.ResourceId!.Value) is { Multiple: true } definition)
        {
            return Lwm2mCodecResult<Lwm2mNode>.Success(new Lwm2mMultipleResource(definition.Id, definition.Type, []));
        }

        return Lwm2mNodeRecords.Build(path, records.Value!, model);
    }
}
