using System.Globalization;
using System.Text.Json;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Server.Rest.Json;

/// <summary>
/// Maps LwM2M nodes to <see cref="NodeDto"/> and back. Reading a DTO checks that its shape fits the
/// target path and that every value fits its declared type; problems come back as a message, not an exception.
/// </summary>
public static class NodeJson
{
    /// <summary>The most children one request node may carry (instances, resources or resource instances).</summary>
    public const int MaxChildren = 4096;

    /// <summary>Writes <paramref name="node"/> as a DTO, stamping <paramref name="path"/> on the outermost node when given.</summary>
    public static NodeDto ToDto(Lwm2mNode node, Lwm2mPath? path = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        NodeDto dto = node switch
        {
            Lwm2mObject o => new NodeDto { Kind = NodeKinds.Object, Id = o.Id, Instances = o.Instances.Select(i => ToDto(i)).ToList() },
            Lwm2mObjectInstance i => new NodeDto { Kind = NodeKinds.Instance, Id = i.Id, Resources = i.Resources.Select(r => ToDto(r)).ToList() },
            Lwm2mSingleResource r => new NodeDto { Kind = NodeKinds.Resource, Id = r.Id, Type = r.Value.Type.ToString(), Value = JsonValues.ToJson(r.Value) },
            Lwm2mMultipleResource m => new NodeDto
            {
                Kind = NodeKinds.MultipleResource,
                Id = m.Id,
                Type = m.Type.ToString(),
                Values = m.Instances.ToDictionary(ri => ri.Id.ToString(CultureInfo.InvariantCulture), ri => JsonValues.ToJson(ri.Value)),
            },
            Lwm2mResourceInstance ri => new NodeDto { Kind = NodeKinds.ResourceInstance, Id = ri.Id, Type = ri.Value.Type.ToString(), Value = JsonValues.ToJson(ri.Value) },
            _ => throw new ArgumentException($"Unknown node type {node.GetType().Name}.", nameof(node)),
        };
        dto.Path = path?.ToString();
        return dto;
    }

    /// <summary>
    /// Reads the node to write at <paramref name="path"/> (an object, instance, resource or resource
    /// instance path) from <paramref name="dto"/>. Returns false with a message saying what is wrong.
    /// </summary>
    public static bool TryToNode(NodeDto dto, Lwm2mPath path, out Lwm2mNode? node, out string error)
    {
        ArgumentNullException.ThrowIfNull(dto);
        node = null;
        if (path.IsRoot)
        {
            error = "Cannot write at the root path; name an object, instance, resource or resource instance.";
            return false;
        }
        if (dto.Path is not null && (!Lwm2mPath.TryParse(dto.Path, out Lwm2mPath bodyPath) || bodyPath != path))
        {
            error = $"The body's path '{dto.Path}' differs from the request path {path}.";
            return false;
        }
        int id = path.ResourceInstanceId ?? path.ResourceId ?? path.InstanceId ?? path.ObjectId!.Value;
        if (dto.Id is { } given && given != id)
        {
            error = $"The body's id {given} differs from the last id of the request path {path}.";
            return false;
        }
        string kind = path.Level switch
        {
            Lwm2mPathLevel.Object => NodeKinds.Object,
            Lwm2mPathLevel.ObjectInstance => NodeKinds.Instance,
            Lwm2mPathLevel.Resource => dto.Values is not null || dto.Kind == NodeKinds.MultipleResource ? NodeKinds.MultipleResource : NodeKinds.Resource,
            _ => NodeKinds.ResourceInstance,
        };
        return TryRead(dto, id, kind, path.ToString(), out node, out error);
    }

    private static bool TryRead(NodeDto dto, int id, string kind, string where, out Lwm2mNode? node, out string error)
    {
        node = null;
        if (dto.Kind is not null && dto.Kind != kind)
        {
            error = $"{where}: kind '{dto.Kind}' does not fit here; expected '{kind}'.";
            return false;
        }
        switch (kind)
        {
            case NodeKinds.Object:
                if (!TryChildren(dto.Instances, "instances", NodeKinds.Instance, where, out List<Lwm2mNode>? instances, out error))
                {
                    return false;
                }
                node = new Lwm2mObject(id, instances!.Cast<Lwm2mObjectInstance>().ToList());
                return true;
            case NodeKinds.Instance:
                if (!TryChildren(dto.Resources, "resources", null, where, out List<Lwm2mNode>? resources, out error))
                {
                    return false;
                }
                node = new Lwm2mObjectInstance(id, resources!.Cast<Lwm2mResource>().ToList());
                return true;
            case NodeKinds.MultipleResource:
                return TryMultiple(dto, id, where, out node, out error);
            default:
                if (!TryType(dto, where, out Lwm2mResourceType type, out error))
                {
                    return false;
                }
                if (dto.Value is not { } json || !JsonValues.TryFromJson(json, type, out Lwm2mValue value, out error))
                {
                    error = dto.Value is null ? $"{where}: a value is missing." : $"{where}: {error}";
                    return false;
                }
                node = kind == NodeKinds.Resource ? new Lwm2mSingleResource(id, value) : new Lwm2mResourceInstance(id, value);
                return true;
        }
    }

    private static bool TryMultiple(NodeDto dto, int id, string where, out Lwm2mNode? node, out string error)
    {
        node = null;
        if (!TryType(dto, where, out Lwm2mResourceType type, out error))
        {
            return false;
        }
        if (dto.Values is null || dto.Values.Count > MaxChildren)
        {
            error = dto.Values is null ? $"{where}: a multiple resource needs 'values'." : $"{where}: more than {MaxChildren} values.";
            return false;
        }
        var instances = new List<Lwm2mResourceInstance>(dto.Values.Count);
        foreach ((string key, JsonElement json) in dto.Values.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out int ri) || ri > Lwm2mPath.MaxId)
            {
                error = $"{where}: '{key}' is not a resource instance id (0 to {Lwm2mPath.MaxId}).";
                return false;
            }
            if (!JsonValues.TryFromJson(json, type, out Lwm2mValue value, out error))
            {
                error = $"{where}/{ri}: {error}";
                return false;
            }
            instances.Add(new Lwm2mResourceInstance(ri, value));
        }
        node = new Lwm2mMultipleResource(id, type, instances.OrderBy(i => i.Id).ToList());
        return true;
    }

    private static bool TryChildren(List<NodeDto>? children, string field, string? kind, string where, out List<Lwm2mNode>? nodes, out string error)
    {
        nodes = null;
        if (children is null || children.Count > MaxChildren)
        {
            error = children is null ? $"{where}: '{field}' is missing." : $"{where}: more than {MaxChildren} {field}.";
            return false;
        }
        nodes = new List<Lwm2mNode>(children.Count);
        var seen = new HashSet<int>();
        foreach (NodeDto child in children)
        {
            if (child is null || child.Id is not { } id || id < 0 || id > Lwm2mPath.MaxId)
            {
                error = $"{where}: every entry of '{field}' needs an id from 0 to {Lwm2mPath.MaxId}.";
                return false;
            }
            if (!seen.Add(id))
            {
                error = $"{where}: id {id} appears twice in '{field}'.";
                return false;
            }
            string childKind = kind ?? (child.Values is not null || child.Kind == NodeKinds.MultipleResource ? NodeKinds.MultipleResource : NodeKinds.Resource);
            if (!TryRead(child, id, childKind, $"{where}/{id}", out Lwm2mNode? node, out error))
            {
                return false;
            }
            nodes.Add(node!);
        }
        error = string.Empty;
        return true;
    }

    private static bool TryType(NodeDto dto, string where, out Lwm2mResourceType type, out string error)
    {
        if (JsonValues.TryParseType(dto.Type, out type))
        {
            error = string.Empty;
            return true;
        }
        error = dto.Type is null
            ? $"{where}: 'type' is missing; use one of {JsonValues.TypeNames}."
            : $"{where}: '{dto.Type}' is not an LwM2M type; use one of {JsonValues.TypeNames}.";
        return false;
    }
}
