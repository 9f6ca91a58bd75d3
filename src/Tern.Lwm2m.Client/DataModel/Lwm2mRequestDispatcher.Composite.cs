using System.Buffers;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.DataModel;

/// <summary>Read-Composite (FETCH) and Write-Composite (iPATCH), both on the root path with SenML-shaped payloads.</summary>
public sealed partial class Lwm2mRequestDispatcher
{
    private CoapResponse ReadComposite(CoapMessage request, Lwm2mPath path, int ssid)
    {
        if (!path.IsRoot)
        {
            return Error(CoapCode.MethodNotAllowed, "Read-Composite is a FETCH on the root path.");
        }

        if (DecodeRecords(request, out ILwm2mContentCodec? codec, out CoapResponse? refusal) is not { } requested)
        {
            return refusal!;
        }

        ILwm2mContentCodec answer = codec!;
        if (request.GetUIntOption(CoapOptionNumber.Accept) is { } accept
            && (accept > ushort.MaxValue || !_formats.TryGet((ushort)accept, out answer!) || !answer.SupportsRecords))
        {
            return Error(CoapCode.NotAcceptable, $"Content format {accept} cannot carry composite answers.");
        }

        var records = new List<Lwm2mRecord>();
        bool found = false;
        bool enforced = AccessControl.IsEnforced;
        foreach (Lwm2mPath wanted in requested.Select(r => r.Path).Distinct())
        {
            IEnumerable<Lwm2mPath> targets = wanted.IsRoot ? _store.ObjectIds.Where(o => ReservedGuard(new Lwm2mPath(o)) is null).Select(o => new Lwm2mPath(o)) : [wanted];
            foreach (Lwm2mPath target in targets)
            {
                if (ReservedGuard(target) is not null || _store.GetDefinition(target.ObjectId!.Value) is not { } definition)
                {
                    continue;
                }

                // A path naming an instance (or deeper) the server may not read refuses the whole request, as a Read would.
                if (target.Level >= Lwm2mPathLevel.ObjectInstance && _store.Exists(new Lwm2mPath(target.ObjectId.Value, target.InstanceId))
                    && !CanRead(ssid, enforced, target.ObjectId.Value, target.InstanceId!.Value))
                {
                    return Error(CoapCode.Unauthorized, $"Server {ssid} has no Read right on /{target.ObjectId}/{target.InstanceId}.");
                }

                if (target.ResourceId is { } rid && definition.GetResource(rid)?.Operations.HasFlag(Lwm2mOperations.Read) != true)
                {
                    continue;
                }

                if (_store.GetHandler(definition.Id) is { } handler && handler.OnRead(target) is not Lwm2mStatus.Ok and var refused)
                {
                    return Answer(refused, CoapCode.Content);
                }

                if (_store.GetNode(target) is { } node)
                {
                    found = true;
                    records.AddRange(Lwm2mNodeRecords.Flatten(target, Readable(definition, VisibleTo(ssid, node))));
                }
            }
        }

        if (!found)
        {
            return Error(CoapCode.NotFound, "None of the paths exist.");
        }

        var buffer = new ArrayBufferWriter<byte>();
        return answer.EncodeRecords(records, buffer) is { } error
            ? Error(CoapCode.NotAcceptable, error.Message)
            : Content(buffer.WrittenMemory, answer.ContentFormat);
    }

    private CoapResponse WriteComposite(CoapMessage request, Lwm2mPath path, int ssid)
    {
        if (!path.IsRoot)
        {
            return Error(CoapCode.MethodNotAllowed, "Write-Composite is an iPATCH on the root path.");
        }

        if (DecodeRecords(request, out _, out CoapResponse? refusal) is not { } records)
        {
            return refusal!;
        }

        // Group the records by instance, as the resources each instance receives.
        var writes = new SortedDictionary<Lwm2mPath, List<Lwm2mResource>>();
        foreach (Lwm2mRecord record in records)
        {
            Lwm2mPath at = record.Path;
            if (at.Level < Lwm2mPathLevel.Resource || record.Value is not { } value)
            {
                return Error(CoapCode.BadRequest, $"Record {at} carries no resource value.");
            }

            if (SecurityGuard(at) is { } guarded)
            {
                return guarded;
            }

            if (DeclaredObject(at, out CoapResponse? missing) is not { } definition)
            {
                return missing!;
            }

            Lwm2mPath instancePath = at.Level == Lwm2mPathLevel.Resource ? at.Parent : at.Parent.Parent;
            if (!_store.Exists(instancePath) || definition.GetResource(at.ResourceId!.Value) is not { } rd)
            {
                return Error(CoapCode.NotFound, $"{at} does not exist.");
            }

            if (!writes.TryGetValue(instancePath, out List<Lwm2mResource>? resources))
            {
                writes[instancePath] = resources = [];
            }

            if (at.Level == Lwm2mPathLevel.Resource)
            {
                resources.Add(new Lwm2mSingleResource(rd.Id, value));
                continue;
            }

            var instance = new Lwm2mResourceInstance(at.ResourceInstanceId!.Value, value);
            int index = resources.FindIndex(r => r.Id == rd.Id);
            if (index >= 0 && resources[index] is Lwm2mMultipleResource m)
            {
                resources[index] = m with { Instances = [.. m.Instances.Where(i => i.Id != instance.Id), instance] };
            }
            else
            {
                resources.Add(new Lwm2mMultipleResource(rd.Id, rd.Type, [instance]));
            }
        }

        foreach (Lwm2mPath instancePath in writes.Keys)
        {
            // Every instance written needs the Write right; one refusal refuses the whole request before anything is written.
            if (Authorize(WriteProbe, instancePath, ssid) is { } denied)
            {
                return denied;
            }
        }

        foreach ((Lwm2mPath instancePath, List<Lwm2mResource> resources) in writes)
        {
            if (CheckResources(_store.GetDefinition(instancePath.ObjectId!.Value)!, instancePath, resources, bootstrap: false) is { } invalid)
            {
                return invalid;
            }
        }

        using (_store.Lock())
        {
            foreach ((Lwm2mPath instancePath, List<Lwm2mResource> resources) in writes)
            {
                _store.ApplyWrite(instancePath.ObjectId!.Value, instancePath.InstanceId!.Value, resources, StoreWriteMode.Merge, create: false);
            }
        }

        return new CoapResponse(CoapCode.Changed);
    }

    /// <summary>A stand-in request that asks for the Write right, for checking each instance a Write-Composite touches.</summary>
    private static readonly CoapMessage WriteProbe = new() { Code = CoapCode.Post, ContentFormat = Lwm2mContentFormat.SenmlCbor };

    /// <summary>Decodes the records of a composite request; 4.00 without a format, 4.15 for one that carries no records.</summary>
    private IReadOnlyList<Lwm2mRecord>? DecodeRecords(CoapMessage request, out ILwm2mContentCodec? codec, out CoapResponse? refusal)
    {
        codec = null;
        refusal = null;
        if (request.ContentFormat is not { } format)
        {
            refusal = Error(CoapCode.BadRequest, "The request has no Content-Format.");
            return null;
        }

        if (!_formats.TryGet(format, out codec) || !codec.SupportsRecords)
        {
            refusal = Error(CoapCode.UnsupportedContentFormat, $"Content format {format} cannot carry composite requests.");
            return null;
        }

        Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> decoded = codec.DecodeRecords(request.Payload.Span, _store.Model);
        if (!decoded.IsSuccess)
        {
            refusal = Error(decoded.Error!.Kind == Lwm2mCodecErrorKind.UnknownResource ? CoapCode.NotFound : CoapCode.BadRequest, decoded.Error.Message);
            return null;
        }

        return decoded.Value;
    }
}
