using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.DataModel;

/// <summary>Resource values that changed, from the application or from a server's Write: one event per change, or per registry lock.</summary>
/// <param name="paths">The changed paths, in ascending order, each once.</param>
public sealed class Lwm2mValuesChangedEventArgs(IReadOnlyList<Lwm2mPath> paths) : EventArgs
{
    /// <summary>The changed resource or resource-instance paths (an instance path when a whole instance was created or deleted).</summary>
    public IReadOnlyList<Lwm2mPath> Paths { get; } = paths;
}

/// <summary>Instances that were created or deleted: the objects a client advertises changed.</summary>
/// <param name="created">The instance paths created.</param>
/// <param name="deleted">The instance paths deleted.</param>
public sealed class Lwm2mInstancesChangedEventArgs(IReadOnlyList<Lwm2mPath> created, IReadOnlyList<Lwm2mPath> deleted) : EventArgs
{
    /// <summary>The <c>/o/i</c> paths created.</summary>
    public IReadOnlyList<Lwm2mPath> Created { get; } = created;

    /// <summary>The <c>/o/i</c> paths deleted.</summary>
    public IReadOnlyList<Lwm2mPath> Deleted { get; } = deleted;
}

/// <summary>A server executed a resource and the application's handler accepted it.</summary>
/// <param name="path">The executed resource.</param>
/// <param name="arguments">Its arguments.</param>
/// <param name="fromBootstrapServer">Always false today (the bootstrap server cannot execute); kept for symmetry.</param>
public sealed class Lwm2mExecutedEventArgs(Lwm2mPath path, Lwm2mExecuteArguments arguments, bool fromBootstrapServer = false) : EventArgs
{
    /// <summary>The executed resource path.</summary>
    public Lwm2mPath Path { get; } = path;

    /// <summary>The arguments.</summary>
    public Lwm2mExecuteArguments Arguments { get; } = arguments;

    /// <summary>True when the bootstrap server sent it.</summary>
    public bool FromBootstrapServer { get; } = fromBootstrapServer;
}
