using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.DataModel;

/// <summary>
/// Lets the application take part in the operations a server performs on one object. Every method has a default
/// that leaves the store to do its work, so an implementation overrides only what it needs. Handlers run on the
/// request's thread, outside the store's lock: they may call the store (e.g. refresh a value in
/// <see cref="OnRead"/>). An exception becomes 5.00 Internal Server Error.
/// </summary>
public interface ILwm2mObjectHandler
{
    /// <summary>
    /// Called before a Read, Read-Composite or Observe reads <paramref name="path"/> (an object, instance or resource
    /// path): the moment to refresh values that are costly to keep current. Refuse with a status other than Ok.
    /// </summary>
    /// <param name="path">The path being read.</param>
    Lwm2mStatus OnRead(Lwm2mPath path) => Lwm2mStatus.Ok;

    /// <summary>
    /// Called for each resource a Write would store, before anything is stored: refuse a value with
    /// <see cref="Lwm2mStatus.BadRequest"/> and nothing of the write is kept.
    /// </summary>
    /// <param name="resourcePath">The resource path (<c>/o/i/r</c>).</param>
    /// <param name="resource">The resource as it would be stored.</param>
    /// <param name="fromBootstrapServer">True for a Bootstrap-Write.</param>
    Lwm2mStatus OnWrite(Lwm2mPath resourcePath, Lwm2mResource resource, bool fromBootstrapServer) => Lwm2mStatus.Ok;

    /// <summary>Called for an Execute on an executable resource. The default does nothing and answers 2.04.</summary>
    /// <param name="resourcePath">The executed resource.</param>
    /// <param name="arguments">The parsed arguments (empty when none were sent).</param>
    Lwm2mStatus OnExecute(Lwm2mPath resourcePath, Lwm2mExecuteArguments arguments) => Lwm2mStatus.Ok;

    /// <summary>Called before a Create stores a new instance; refuse to keep it from being created.</summary>
    /// <param name="instance">The new instance, with the id it will get.</param>
    Lwm2mStatus OnCreate(Lwm2mObjectInstance instance) => Lwm2mStatus.Ok;

    /// <summary>Called before a Delete removes an instance; refuse to keep it.</summary>
    /// <param name="instanceId">The instance to delete.</param>
    Lwm2mStatus OnDelete(int instanceId) => Lwm2mStatus.Ok;
}
