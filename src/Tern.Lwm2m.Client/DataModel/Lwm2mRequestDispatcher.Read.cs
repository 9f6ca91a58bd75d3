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

/// <summary>Read and Discover.</summary>
public sealed partial class Lwm2mRequestDispatcher
{
    private CoapResponse Read(CoapMessage request, Lwm2mPath path, int ssid)
    {
        if (path.IsRoot)
        {
            return Error(CoapCode.MethodNotAllowed, "Read needs an object, instance or resource path; use Read-Composite for several.");
        }

        if (SecurityGuard(path) is { } guarded)
        {
            return guarded;
        }

        return ReadUnguarded(request, path, ssid);
    }

    /// <summary>
    /// A Read without the Security guard (the bootstrap server reads /1 and /2 through it too, with no
    /// <paramref name="aclServer"/>); an object read for an LwM2M server holds only the instances it may read.
    /// </summary>
    private CoapResponse ReadUnguarded(CoapMessage request, Lwm2mPath path, int? aclServer)
    {
        if (DeclaredObject(path, out CoapResponse? missing) is not { } definition)
        {
            return missing!;
        }

        if (path.ResourceId is { } rid && definition.GetResource(rid) is { } rd && !rd.Operations.HasFlag(Lwm2mOperations.Read))
        {
            return Error(CoapCode.MethodNotAllowed, $"{path} ({rd.Name}) is not readable.");
        }

        if (_store.GetHandler(definition.Id) is { } handler && handler.OnRead(path) is not Lwm2mStatus.Ok and var refused)
        {
            return Answer(refused, CoapCode.Content);
        }

        return _store.GetNode(path) is { } node
            ? EncodeNode(request, path, Readable(definition, aclServer is { } ssid ? VisibleTo(ssid, node) : node))
            : Error(CoapCode.NotFound, $"{path} does not exist.");
    }

    /// <summary>The node without the resources a server may not read (write-only ones).</summary>
    private static Lwm2mNode Readable(ObjectDefinition definition, Lwm2mNode node) => node switch
    {
        Lwm2mObject o => o with { Instances = [.. o.Instances.Select(i => (Lwm2mObjectInstance)Readable(definition, i))] },
        Lwm2mObjectInstance i => i with { Resources = [.. i.Resources.Where(r => definition.GetResource(r.Id)?.Operations.HasFlag(Lwm2mOperations.Read) != false)] },
        _ => node,
    };

    private CoapResponse Discover(CoapMessage request, Lwm2mPath path, int ssid)
    {
        if (path.IsRoot)
        {
            return Error(CoapCode.MethodNotAllowed, "Discover needs an object, instance or resource path.");
        }

        if (SecurityGuard(path) is { } guarded)
        {
            return guarded;
        }

        if (!TryGetDepth(request, out int? depth))
        {
            return Error(CoapCode.BadRequest, "depth is 0, 1, 2 or 3.");
        }

        if (DeclaredObject(path, out CoapResponse? missing) is not { } definition)
        {
            return missing!;
        }

        Lwm2mNode? node = _store.GetNode(path) is { } found ? VisibleTo(ssid, found) : null;
        bool executable = path.Level == Lwm2mPathLevel.Resource && _store.Exists(path.Parent) && IsExecutable(path);
        if (node is null && !executable)
        {
            return Error(CoapCode.NotFound, $"{path} does not exist.");
        }

        int levels = depth ?? path.Level switch
        {
            Lwm2mPathLevel.Object => 2,
            Lwm2mPathLevel.ObjectInstance => 1,
            Lwm2mPathLevel.Resource => Version >= Lwm2mVersion.Lwm2m12 ? 1 : 0,
            _ => 0,
        };
        var links = new List<CoreLink>();
        AddLinks(links, definition, path, node, levels, ssid);
        var buffer = new ArrayBufferWriter<byte>();
        CoreLinkFormat.Write(links, buffer);
        return Content(buffer.WrittenMemory, Lwm2mContentFormat.LinkFormat);
    }

    private void AddLinks(List<CoreLink> links, ObjectDefinition definition, Lwm2mPath path, Lwm2mNode? node, int levels, int ssid)
    {
        var parameters = new List<CoreLinkParameter>();
        if (path.Level == Lwm2mPathLevel.Object && definition.Version is not ("1.0" or ""))
        {
            parameters.Add(new CoreLinkParameter("ver", definition.Version));
        }

        if (node is Lwm2mMultipleResource multiple)
        {
            parameters.Add(new CoreLinkParameter("dim", multiple.Instances.Count.ToString(CultureInfo.InvariantCulture)));
        }

        if ((AttributeSource is { } source ? source(ssid, path) : _store.Attributes.GetAttributes(ssid, path)) is { } attributes)
        {
            parameters.AddRange(attributes.ToLinkParameters());
        }

        links.Add(new CoreLink(path.ToString(), parameters));
        if (levels == 0)
        {
            return;
        }

        switch (node)
        {
            case Lwm2mObject o:
                foreach (Lwm2mObjectInstance instance in o.Instances)
                {
                    AddLinks(links, definition, path.Append(instance.Id), instance, levels - 1, ssid);
                }

                break;
            case Lwm2mObjectInstance i:
                // Executable resources hold no value but exist in every instance; list them among the others in id order.
                var ids = i.Resources.Select(r => r.Id)
                    .Concat(definition.Resources.Values.Where(r => r.Operations.HasFlag(Lwm2mOperations.Execute)).Select(r => r.Id))
                    .Distinct().Order();
                foreach (int rid in ids)
                {
                    AddLinks(links, definition, path.Append(rid), i.Resources.FirstOrDefault(r => r.Id == rid), levels - 1, ssid);
                }

                break;
            case Lwm2mMultipleResource m:
                foreach (Lwm2mResourceInstance ri in m.Instances)
                {
                    AddLinks(links, definition, path.Append(ri.Id), ri, levels - 1, ssid);
                }

                break;
        }
    }

    private static bool TryGetDepth(CoapMessage request, out int? depth)
    {
        depth = null;
        foreach (string query in request.UriQueries)
        {
            if (!query.StartsWith("depth=", StringComparison.Ordinal))
            {
                continue;
            }

            if (query.Length != 7 || query[6] is < '0' or > '3')
            {
                return false;
            }

            depth = query[6] - '0';
        }

        return true;
    }
}
