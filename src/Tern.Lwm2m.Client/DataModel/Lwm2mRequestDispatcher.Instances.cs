using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.DataModel;

/// <summary>Create, Delete and Execute.</summary>
public sealed partial class Lwm2mRequestDispatcher
{
    private CoapResponse Create(CoapMessage request, Lwm2mPath path, int ssid)
    {
        if (SecurityGuard(path) is { } guarded)
        {
            return guarded;
        }

        if (path.ObjectId == 1)
        {
            return Error(CoapCode.MethodNotAllowed, "Server instances are created by the bootstrap server.");
        }

        if (DeclaredObject(path, out CoapResponse? missing) is not { } definition)
        {
            return missing!;
        }

        IReadOnlyList<Lwm2mObjectInstance>? instances = DecodeCreate(request, path, out CoapResponse? refusal);
        if (instances is null)
        {
            return refusal!;
        }

        IReadOnlyList<int> existing = _store.GetInstanceIds(definition.Id);
        if (instances.Count == 0 || instances.Any(i => existing.Contains(i.Id)) || instances.Select(i => i.Id).Distinct().Count() != instances.Count)
        {
            return Error(CoapCode.BadRequest, "Create needs new instance ids (the instance exists already).");
        }

        if (!definition.Multiple && existing.Count + instances.Count > 1)
        {
            return Error(CoapCode.BadRequest, $"Object {definition.Id} is single-instance.");
        }

        foreach (Lwm2mObjectInstance instance in instances)
        {
            foreach (Lwm2mResource resource in instance.Resources)
            {
                if (definition.GetResource(resource.Id) is null)
                {
                    return Error(CoapCode.NotFound, $"Object {definition.Id} has no resource {resource.Id}.");
                }

                if (Lwm2mObjectStore.CheckResource(definition, resource) is { } problem)
                {
                    return Error(CoapCode.BadRequest, $"/{definition.Id}/{instance.Id}/{resource.Id}: {problem}.");
                }
            }

            if (_store.GetHandler(definition.Id)?.OnCreate(instance) is { } status and not Lwm2mStatus.Ok)
            {
                return Answer(status, CoapCode.Created);
            }
        }

        using (_store.Lock())
        {
            foreach (Lwm2mObjectInstance instance in instances)
            {
                _store.ApplyWrite(definition.Id, instance.Id, instance.Resources, StoreWriteMode.ReplaceResources, create: true);
            }

            GrantOwnership(ssid, definition.Id, instances.Select(i => i.Id));
        }

        var response = new CoapResponse(CoapCode.Created);
        if (instances.Count == 1)
        {
            response.Message.AddOption(CoapOption.FromString(CoapOptionNumber.LocationPath, definition.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            response.Message.AddOption(CoapOption.FromString(CoapOptionNumber.LocationPath, instances[0].Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return response;
    }

    /// <summary>
    /// The instances a Create payload holds: decoded at the object path when the payload names instances, else
    /// decoded as the resources of one instance whose id the client picks (the lowest free one).
    /// </summary>
    private IReadOnlyList<Lwm2mObjectInstance>? DecodeCreate(CoapMessage request, Lwm2mPath path, out CoapResponse? refusal)
    {
        if (DecodeNode(request, path, out refusal) is Lwm2mObject decoded)
        {
            return decoded.Instances;
        }

        if (refusal is { } first && first.Code != CoapCode.BadRequest)
        {
            return null;
        }

        IReadOnlyList<int> existing = _store.GetInstanceIds(path.ObjectId!.Value);
        int free = 0;
        while (existing.Contains(free))
        {
            free++;
        }

        if (request.ContentFormat is null || DecodeNode(request, path.Append(free), out CoapResponse? second) is not Lwm2mObjectInstance instance)
        {
            return null;
        }

        refusal = second;
        return [instance];
    }

    private CoapResponse Delete(Lwm2mPath path)
    {
        if (path.Level is Lwm2mPathLevel.Root or Lwm2mPathLevel.Object or Lwm2mPathLevel.Resource)
        {
            return Error(CoapCode.MethodNotAllowed, "Delete takes an instance or a resource-instance path.");
        }

        if (SecurityGuard(path) is { } guarded)
        {
            return guarded;
        }

        if (path.ObjectId == 1 && path.Level == Lwm2mPathLevel.ObjectInstance)
        {
            return Error(CoapCode.MethodNotAllowed, "Server instances are deleted by the bootstrap server.");
        }

        if (DeclaredObject(path, out CoapResponse? missing) is not { } definition)
        {
            return missing!;
        }

        if (!_store.Exists(path))
        {
            return Error(CoapCode.NotFound, $"{path} does not exist.");
        }

        if (path.Level == Lwm2mPathLevel.ResourceInstance)
        {
            if (definition.GetResource(path.ResourceId!.Value) is not { } rd || !rd.Operations.HasFlag(Lwm2mOperations.Write))
            {
                return Error(CoapCode.MethodNotAllowed, $"{path.Parent} is not writable, so its instances cannot be deleted.");
            }

            return _store.RemoveValue(path) ? new CoapResponse(CoapCode.Deleted) : Error(CoapCode.NotFound, $"{path} does not exist.");
        }

        if (_store.GetHandler(definition.Id)?.OnDelete(path.InstanceId!.Value) is { } status and not Lwm2mStatus.Ok)
        {
            return Answer(status, CoapCode.Deleted);
        }

        using (_store.Lock())
        {
            if (!_store.DeleteInstance(definition.Id, path.InstanceId!.Value))
            {
                return Error(CoapCode.NotFound, $"{path} does not exist.");
            }

            // The Access Control instance of a deleted instance goes with it (TS Core §7.3.3).
            if (definition.Id != Lwm2mAccessControl.ObjectId)
            {
                _store.RemoveAccessControl(definition.Id, path.InstanceId.Value);
            }
        }

        return new CoapResponse(CoapCode.Deleted);
    }

    private CoapResponse Execute(CoapMessage request, Lwm2mPath path)
    {
        if (SecurityGuard(path) is { } guarded)
        {
            return guarded;
        }

        if (DeclaredObject(path, out CoapResponse? missing) is not { } definition)
        {
            return missing!;
        }

        if (!_store.Exists(path.Parent) || definition.GetResource(path.ResourceId!.Value) is not { } rd)
        {
            return Error(CoapCode.NotFound, $"{path} does not exist.");
        }

        if (!rd.Operations.HasFlag(Lwm2mOperations.Execute))
        {
            return Error(CoapCode.MethodNotAllowed, $"{path} ({rd.Name}) is not executable.");
        }

        if (!Lwm2mExecuteArguments.TryParse(request.Payload.Span, out Lwm2mExecuteArguments? arguments, out string? error))
        {
            return Error(CoapCode.BadRequest, error);
        }

        if (_store.GetHandler(definition.Id)?.OnExecute(path, arguments) is { } status and not Lwm2mStatus.Ok)
        {
            return Answer(status, CoapCode.Changed);
        }

        _store.RaiseExecuted(new Lwm2mExecutedEventArgs(path, arguments));
        return new CoapResponse(CoapCode.Changed);
    }
}
