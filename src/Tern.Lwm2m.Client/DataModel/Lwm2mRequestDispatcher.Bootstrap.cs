using System.Buffers;
using System.Globalization;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Formats.LinkFormat;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.DataModel;

/// <summary>
/// The Bootstrap interface (TS 1.1 §5.2.7): Bootstrap-Read on /1 and /2 only, Bootstrap-Write anywhere (read-only
/// resources included, instances created as needed), Bootstrap-Delete on /, /o and /o/i (never the bootstrap
/// server's own Security instance, nor the Device instance), Bootstrap-Discover on / and /o. Bootstrap-Finish is
/// handed to <see cref="BootstrapFinished"/>.
/// </summary>
public sealed partial class Lwm2mRequestDispatcher
{
    private CoapResponse HandleBootstrap(CoapMessage request, Lwm2mPath path)
    {
        CoapCode method = request.Code;
        if (method == CoapCode.Get)
        {
            return request.GetUIntOption(CoapOptionNumber.Accept) == Lwm2mContentFormat.LinkFormat ? BootstrapDiscover(path) : BootstrapRead(request, path);
        }

        if (method == CoapCode.Put)
        {
            return BootstrapWrite(request, path);
        }

        if (method == CoapCode.Delete)
        {
            return BootstrapDelete(path);
        }

        return Error(CoapCode.MethodNotAllowed, $"{method} is not an operation of the bootstrap interface.");
    }

    private CoapResponse BootstrapRead(CoapMessage request, Lwm2mPath path)
    {
        if (path.ObjectId is not (1 or 2))
        {
            return Error(CoapCode.Unauthorized, "Bootstrap-Read is allowed on the Server (1) and Access Control (2) objects only.");
        }

        return ReadUnguarded(request, path, aclServer: null);
    }

    private CoapResponse BootstrapWrite(CoapMessage request, Lwm2mPath path)
    {
        if (path.IsRoot)
        {
            return Error(CoapCode.MethodNotAllowed, "Bootstrap-Write needs an object, instance or resource path.");
        }

        if (DeclaredObject(path, out CoapResponse? missing) is not { } definition)
        {
            return missing!;
        }

        if (path.ResourceId is { } rid && definition.GetResource(rid) is null)
        {
            return Error(CoapCode.NotFound, $"Object {definition.Id} has no resource {rid}.");
        }

        if (DecodeNode(request, path, out CoapResponse? refusal) is not { } node)
        {
            return refusal!;
        }

        IReadOnlyList<int> existing = _store.GetInstanceIds(definition.Id);
        var writes = new List<(int InstanceId, IReadOnlyList<Lwm2mResource> Resources, StoreWriteMode Mode)>();
        switch (node)
        {
            case Lwm2mObject o:
                writes.AddRange(o.Instances.Select(i => (i.Id, i.Resources, StoreWriteMode.ReplaceResources)));
                break;
            case Lwm2mObjectInstance i:
                writes.Add((i.Id, i.Resources, StoreWriteMode.ReplaceResources));
                break;
            case Lwm2mResource r:
                writes.Add((path.InstanceId!.Value, [r], StoreWriteMode.ReplaceResources));
                break;
            case Lwm2mResourceInstance ri:
                writes.Add((path.InstanceId!.Value, [new Lwm2mMultipleResource(path.ResourceId!.Value, definition.GetResource(path.ResourceId.Value)!.Type, [ri])], StoreWriteMode.Merge));
                break;
        }

        int created = writes.Select(w => w.InstanceId).Distinct().Count(id => !existing.Contains(id));
        if (!definition.Multiple && existing.Count + created > 1)
        {
            return Error(CoapCode.BadRequest, $"Object {definition.Id} is single-instance.");
        }

        foreach ((int instanceId, IReadOnlyList<Lwm2mResource> resources, _) in writes)
        {
            if (CheckResources(definition, new Lwm2mPath(definition.Id, instanceId), resources, bootstrap: true) is { } invalid)
            {
                return invalid;
            }
        }

        using (_store.Lock())
        {
            foreach ((int instanceId, IReadOnlyList<Lwm2mResource> resources, StoreWriteMode mode) in writes)
            {
                _store.ApplyWrite(definition.Id, instanceId, resources, mode, create: true);
            }
        }

        return new CoapResponse(CoapCode.Changed);
    }

    private CoapResponse BootstrapDelete(Lwm2mPath path)
    {
        if (path.Level > Lwm2mPathLevel.ObjectInstance)
        {
            return Error(CoapCode.BadRequest, "Bootstrap-Delete takes /, /o or /o/i.");
        }

        if (path.Level == Lwm2mPathLevel.ObjectInstance)
        {
            if (IsProtected(path.ObjectId!.Value, path.InstanceId!.Value))
            {
                return Error(CoapCode.BadRequest, $"{path} is the bootstrap server's account or the Device instance; it cannot be deleted.");
            }

            _store.DeleteInstance(path.ObjectId.Value, path.InstanceId.Value);
            return new CoapResponse(CoapCode.Deleted);
        }

        if (path.Level == Lwm2mPathLevel.Object && !_store.HasObject(path.ObjectId!.Value))
        {
            return Error(CoapCode.NotFound, $"Object {path.ObjectId} is not present.");
        }

        using (_store.Lock())
        {
            foreach (int objectId in path.IsRoot ? _store.ObjectIds : [path.ObjectId!.Value])
            {
                _store.DeleteInstances(objectId, instanceId => IsProtected(objectId, instanceId));
            }
        }

        return new CoapResponse(CoapCode.Deleted);
    }

    /// <summary>The bootstrap server's own Security instance and the Device instance survive every Bootstrap-Delete.</summary>
    private bool IsProtected(int objectId, int instanceId) => objectId switch
    {
        0 => _store.TryGetValue(new Lwm2mPath(0, instanceId, 1), out Lwm2mValue bs) && bs.Type == Lwm2mResourceType.Boolean && bs.AsBoolean(),
        3 => true,
        _ => false,
    };

    private CoapResponse BootstrapDiscover(Lwm2mPath path)
    {
        if (path.Level > Lwm2mPathLevel.Object)
        {
            return Error(CoapCode.BadRequest, "Bootstrap-Discover takes / or /o.");
        }

        if (path.Level == Lwm2mPathLevel.Object && !_store.HasObject(path.ObjectId!.Value))
        {
            return Error(CoapCode.NotFound, $"Object {path.ObjectId} is not present.");
        }

        var links = new List<CoreLink>();
        if (path.IsRoot)
        {
            links.Add(new CoreLink("/", [new CoreLinkParameter("lwm2m", RegistrationMessages.VersionText(Version))]));
        }

        foreach (int objectId in path.IsRoot ? _store.ObjectIds : [path.ObjectId!.Value])
        {
            ObjectDefinition definition = _store.GetDefinition(objectId)!;
            IReadOnlyList<int> instances = _store.GetInstanceIds(objectId);
            bool versioned = definition.Version is not ("1.0" or "");
            if (versioned || instances.Count == 0)
            {
                links.Add(new CoreLink($"/{objectId}", versioned ? [new CoreLinkParameter("ver", definition.Version)] : []));
            }

            foreach (int instanceId in instances)
            {
                links.Add(new CoreLink($"/{objectId}/{instanceId}", BootstrapParameters(objectId, instanceId)));
            }
        }

        var buffer = new ArrayBufferWriter<byte>();
        CoreLinkFormat.Write(links, buffer);
        return Content(buffer.WrittenMemory, Lwm2mContentFormat.LinkFormat);
    }

    /// <summary>ssid (Security and Server instances) and uri (Security instances), as Bootstrap-Discover shows them.</summary>
    private List<CoreLinkParameter> BootstrapParameters(int objectId, int instanceId)
    {
        var parameters = new List<CoreLinkParameter>();
        if (objectId is not (0 or 1))
        {
            return parameters;
        }

        var ssidPath = new Lwm2mPath(objectId, instanceId, objectId == 0 ? 10 : 0);
        bool bootstrap = objectId == 0 && IsProtected(0, instanceId);
        if (!bootstrap && _store.TryGetValue(ssidPath, out Lwm2mValue ssid) && ssid.Type == Lwm2mResourceType.Integer)
        {
            parameters.Add(new CoreLinkParameter("ssid", ssid.AsInteger().ToString(CultureInfo.InvariantCulture)));
        }

        if (objectId == 0 && _store.TryGetValue(new Lwm2mPath(0, instanceId, 0), out Lwm2mValue uri) && uri.Type == Lwm2mResourceType.String)
        {
            parameters.Add(new CoreLinkParameter("uri", uri.AsString(), Quoted: true));
        }

        return parameters;
    }
}
