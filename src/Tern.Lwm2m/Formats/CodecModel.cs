using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Formats;

/// <summary>Model look-ups the decoders share: a resource's definition, or the typed error that says why there is none.</summary>
internal static class CodecModel
{
    /// <summary>The definition of resource <paramref name="resourceId"/> of object <paramref name="objectId"/>, or an UnknownResource error.</summary>
    public static ResourceDefinition? Find(IObjectDefinitionProvider model, int objectId, int resourceId, int offset, out Lwm2mCodecError? error)
    {
        ObjectDefinition? obj = model.GetObject(objectId);
        if (obj is null)
        {
            error = new Lwm2mCodecError(Lwm2mCodecErrorKind.UnknownResource, $"Object {objectId} is not known, so the type of its resources cannot be learnt.", offset);
            return null;
        }

        ResourceDefinition? resource = obj.GetResource(resourceId);
        error = resource is null
            ? new Lwm2mCodecError(Lwm2mCodecErrorKind.UnknownResource, $"Object {objectId} has no resource {resourceId}.", offset)
            : null;
        return resource;
    }

    /// <summary>An error for a node kind a format cannot carry at a path.</summary>
    public static Lwm2mCodecError Unsupported(string format, Lwm2mPath path, string what) =>
        new(Lwm2mCodecErrorKind.Unsupported, $"{format} cannot carry {what} (at {path}).");

    /// <summary>True when <paramref name="node"/> is the kind of node that lives at <paramref name="path"/>'s level.</summary>
    public static bool FitsLevel(Lwm2mPath path, Lwm2mNode node) => path.Level switch
    {
        Lwm2mPathLevel.Object => node is Lwm2mObject,
        Lwm2mPathLevel.ObjectInstance => node is Lwm2mObjectInstance,
        Lwm2mPathLevel.Resource => node is Lwm2mResource,
        Lwm2mPathLevel.ResourceInstance => node is Lwm2mResourceInstance,
        _ => false,
    };
}
