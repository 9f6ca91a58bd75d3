using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Formats.Tlv;

/// <summary>
/// Reads TLV payloads into nodes. Nesting is fixed by the grammar (instance → multiple resource →
/// resource instance), so depth is bounded by construction; an element of the wrong kind for its place
/// is Malformed, ids that contradict the request path are PathMismatch, repeated ids are Malformed.
/// </summary>
internal static class TlvDecoder
{
    public static Lwm2mCodecResult<Lwm2mNode> Decode(ReadOnlySpan<byte> payload, Lwm2mPath path, IObjectDefinitionProvider model)
    {
        switch (path.Level)
        {
            case Lwm2mPathLevel.Object:
                return DecodeObject(payload, path.ObjectId!.Value, model);
            case Lwm2mPathLevel.ObjectInstance:
                return DecodeInstancePayload(payload, path, model);
            case Lwm2mPathLevel.Resource:
                return DecodeResourcePayload(payload, path, model);
            case Lwm2mPathLevel.ResourceInstance:
                return DecodeResourceInstancePayload(payload, path, model);
            default:
                return CodecModel.Unsupported("TLV", path, "the root");
        }
    }

    private static Lwm2mCodecResult<Lwm2mNode> DecodeObject(ReadOnlySpan<byte> payload, int objectId, IObjectDefinitionProvider model)
    {
        var instances = default(ScratchList<Lwm2mObjectInstance>);
        try
        {
            return DecodeObject(payload, objectId, model, ref instances);
        }
        finally
        {
            instances.Dispose();
        }
    }

    private static Lwm2mCodecResult<Lwm2mNode> DecodeObject(ReadOnlySpan<byte> payload, int objectId, IObjectDefinitionProvider model, ref ScratchList<Lwm2mObjectInstance> instances)
    {
        for (int p = 0; p < payload.Length;)
        {
            if (TlvHeader.Read(payload, p, payload.Length, out TlvElement e) is { } error)
            {
                return error;
            }

            if (e.Kind != TlvKind.ObjectInstance)
            {
                return Wrong(e, "an object payload holds only Object Instance TLVs");
            }

            if (HasId(instances.Items, e.Id))
            {
                return Duplicate(e, "object instance");
            }

            Lwm2mCodecResult<Lwm2mResource[]> resources = DecodeResources(payload, e.ValueStart, e.End, objectId, model);
            if (!resources.IsSuccess)
            {
                return resources.Error!;
            }

            instances.Add(new Lwm2mObjectInstance(e.Id, resources.Value!));
            p = e.End;
        }

        return new Lwm2mObject(objectId, instances.ToArray()).AsResult();
    }

    private static Lwm2mCodecResult<Lwm2mNode> DecodeInstancePayload(ReadOnlySpan<byte> payload, Lwm2mPath path, IObjectDefinitionProvider model)
    {
        int instanceId = path.InstanceId!.Value, start = 0, end = payload.Length;

        // Peers differ: some wrap an instance's resources in one Object Instance TLV, most do not. Accept both.
        if (payload.Length > 0 && (payload[0] >> 6) == (int)TlvKind.ObjectInstance)
        {
            if (TlvHeader.Read(payload, 0, payload.Length, out TlvElement e) is { } error)
            {
                return error;
            }

            if (e.Id != instanceId)
            {
                return new Lwm2mCodecError(Lwm2mCodecErrorKind.PathMismatch, $"The payload holds instance {e.Id}, but the request is for {path}.", 0);
            }

            if (e.End != payload.Length)
            {
                return new Lwm2mCodecError(Lwm2mCodecErrorKind.Malformed, "Bytes follow the Object Instance TLV of an instance payload.", e.End);
            }

            (start, end) = (e.ValueStart, e.End);
        }

        Lwm2mCodecResult<Lwm2mResource[]> resources = DecodeResources(payload, start, end, path.ObjectId!.Value, model);
        return resources.IsSuccess ? new Lwm2mObjectInstance(instanceId, resources.Value!).AsResult() : resources.Error!;
    }

    private static Lwm2mCodecResult<Lwm2mNode> DecodeResourcePayload(ReadOnlySpan<byte> payload, Lwm2mPath path, IObjectDefinitionProvider model)
    {
        int o = path.ObjectId!.Value, r = path.ResourceId!.Value;
        ResourceDefinition? definition = CodecModel.Find(model, o, r, 0, out Lwm2mCodecError? unknown);
        if (definition is null)
        {
            return unknown!;
        }

        if (payload.IsEmpty)
        {
            return new Lwm2mCodecError(Lwm2mCodecErrorKind.Truncated, $"The payload for {path} is empty.", 0);
        }

        // Some peers send a multiple resource's instances without the Multiple Resource wrapper.
        if (definition.Multiple && (payload[0] >> 6) == (int)TlvKind.ResourceInstance)
        {
            Lwm2mCodecResult<Lwm2mResourceInstance[]> instances = DecodeResourceInstances(payload, 0, payload.Length, definition);
            return instances.IsSuccess ? new Lwm2mMultipleResource(r, definition.Type, instances.Value!).AsResult() : instances.Error!;
        }

        if (TlvHeader.Read(payload, 0, payload.Length, out TlvElement e) is { } error)
        {
            return error;
        }

        if (e.End != payload.Length)
        {
            return new Lwm2mCodecError(Lwm2mCodecErrorKind.Malformed, $"Bytes follow the TLV of resource {path}.", e.End);
        }

        if (e.Kind is TlvKind.ObjectInstance or TlvKind.ResourceInstance)
        {
            return Wrong(e, "a resource payload holds one Resource or Multiple Resource TLV");
        }

        if (e.Id != r)
        {
            return new Lwm2mCodecError(Lwm2mCodecErrorKind.PathMismatch, $"The payload holds resource {e.Id}, but the request is for {path}.", 0);
        }

        Lwm2mCodecResult<Lwm2mResource> resource = DecodeResource(payload, e, definition);
        return resource.IsSuccess ? resource.Value!.AsResult() : resource.Error!;
    }

    private static Lwm2mCodecResult<Lwm2mNode> DecodeResourceInstancePayload(ReadOnlySpan<byte> payload, Lwm2mPath path, IObjectDefinitionProvider model)
    {
        ResourceDefinition? definition = CodecModel.Find(model, path.ObjectId!.Value, path.ResourceId!.Value, 0, out Lwm2mCodecError? unknown);
        if (definition is null)
        {
            return unknown!;
        }

        if (TlvHeader.Read(payload, 0, payload.Length, out TlvElement e) is { } error)
        {
            return error;
        }

        if (e.Kind != TlvKind.ResourceInstance)
        {
            return Wrong(e, "a resource-instance payload holds one Resource Instance TLV");
        }

        if (e.End != payload.Length)
        {
            return new Lwm2mCodecError(Lwm2mCodecErrorKind.Malformed, $"Bytes follow the TLV of {path}.", e.End);
        }

        if (e.Id != path.ResourceInstanceId)
        {
            return new Lwm2mCodecError(Lwm2mCodecErrorKind.PathMismatch, $"The payload holds resource instance {e.Id}, but the request is for {path}.", 0);
        }

        return TlvValues.Read(payload.Slice(e.ValueStart, e.Length), definition.Type, e.ValueStart, out Lwm2mValue value) is { } bad
            ? bad
            : new Lwm2mResourceInstance(e.Id, value).AsResult();
    }

    private static Lwm2mCodecResult<Lwm2mResource[]> DecodeResources(ReadOnlySpan<byte> payload, int start, int end, int objectId, IObjectDefinitionProvider model)
    {
        var resources = default(ScratchList<Lwm2mResource>);
        try
        {
            return DecodeResources(payload, start, end, objectId, model, ref resources);
        }
        finally
        {
            resources.Dispose();
        }
    }

    private static Lwm2mCodecResult<Lwm2mResource[]> DecodeResources(ReadOnlySpan<byte> payload, int start, int end, int objectId, IObjectDefinitionProvider model, ref ScratchList<Lwm2mResource> resources)
    {
        for (int p = start; p < end;)
        {
            if (TlvHeader.Read(payload, p, end, out TlvElement e) is { } error)
            {
                return error;
            }

            if (e.Kind is TlvKind.ObjectInstance or TlvKind.ResourceInstance)
            {
                return Wrong(e, "an object instance holds only Resource and Multiple Resource TLVs");
            }

            if (HasId(resources.Items, e.Id))
            {
                return Duplicate(e, "resource");
            }

            ResourceDefinition? definition = CodecModel.Find(model, objectId, e.Id, e.Start, out Lwm2mCodecError? unknown);
            if (definition is null)
            {
                return unknown!;
            }

            Lwm2mCodecResult<Lwm2mResource> resource = DecodeResource(payload, e, definition);
            if (!resource.IsSuccess)
            {
                return resource.Error!;
            }

            resources.Add(resource.Value!);
            p = e.End;
        }

        return Lwm2mCodecResult<Lwm2mResource[]>.Success(resources.ToArray());
    }

    private static Lwm2mCodecResult<Lwm2mResource> DecodeResource(ReadOnlySpan<byte> payload, TlvElement e, ResourceDefinition definition)
    {
        if (definition.Multiple != (e.Kind == TlvKind.MultipleResource))
        {
            return new Lwm2mCodecError(Lwm2mCodecErrorKind.TypeMismatch,
                definition.Multiple ? $"Resource {e.Id} is multiple but the TLV carries a single value." : $"Resource {e.Id} is single but the TLV carries multiple instances.", e.Start);
        }

        if (!definition.Multiple)
        {
            return TlvValues.Read(payload.Slice(e.ValueStart, e.Length), definition.Type, e.ValueStart, out Lwm2mValue value) is { } error
                ? error
                : Lwm2mCodecResult<Lwm2mResource>.Success(new Lwm2mSingleResource(e.Id, value));
        }

        Lwm2mCodecResult<Lwm2mResourceInstance[]> instances = DecodeResourceInstances(payload, e.ValueStart, e.End, definition);
        return instances.IsSuccess
            ? Lwm2mCodecResult<Lwm2mResource>.Success(new Lwm2mMultipleResource(e.Id, definition.Type, instances.Value!))
            : instances.Error!;
    }

    private static Lwm2mCodecResult<Lwm2mResourceInstance[]> DecodeResourceInstances(ReadOnlySpan<byte> payload, int start, int end, ResourceDefinition definition)
    {
        var instances = default(ScratchList<Lwm2mResourceInstance>);
        try
        {
            return DecodeResourceInstances(payload, start, end, definition, ref instances);
        }
        finally
        {
            instances.Dispose();
        }
    }

    private static Lwm2mCodecResult<Lwm2mResourceInstance[]> DecodeResourceInstances(ReadOnlySpan<byte> payload, int start, int end, ResourceDefinition definition, ref ScratchList<Lwm2mResourceInstance> instances)
    {
        for (int p = start; p < end;)
        {
            if (TlvHeader.Read(payload, p, end, out TlvElement e) is { } error)
            {
                return error;
            }

            if (e.Kind != TlvKind.ResourceInstance)
            {
                return Wrong(e, "a multiple resource holds only Resource Instance TLVs");
            }

            if (HasId(instances.Items, e.Id))
            {
                return Duplicate(e, "resource instance");
            }

            if (TlvValues.Read(payload.Slice(e.ValueStart, e.Length), definition.Type, e.ValueStart, out Lwm2mValue value) is { } bad)
            {
                return bad;
            }

            instances.Add(new Lwm2mResourceInstance(e.Id, value));
            p = e.End;
        }

        instances.Items.Sort(ById);
        return Lwm2mCodecResult<Lwm2mResourceInstance[]>.Success(instances.ToArray());
    }

    private static readonly Comparison<Lwm2mResourceInstance> ById = (a, b) => a.Id.CompareTo(b.Id);

    private static bool HasId<T>(Span<T> nodes, int id)
        where T : Lwm2mNode
    {
        foreach (T node in nodes)
        {
            if (node.Id == id)
            {
                return true;
            }
        }

        return false;
    }

    private static Lwm2mCodecError Wrong(TlvElement e, string rule) =>
        new(Lwm2mCodecErrorKind.Malformed, $"Unexpected {e.Kind} TLV (id {e.Id}): {rule}.", e.Start);

    private static Lwm2mCodecError Duplicate(TlvElement e, string what) =>
        new(Lwm2mCodecErrorKind.Malformed, $"The {what} id {e.Id} appears twice.", e.Start);

    private static Lwm2mCodecResult<Lwm2mNode> AsResult(this Lwm2mNode node) => Lwm2mCodecResult<Lwm2mNode>.Success(node);
}
