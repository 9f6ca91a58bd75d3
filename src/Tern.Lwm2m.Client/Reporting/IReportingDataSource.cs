using System.Diagnostics.CodeAnalysis;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Reporting;

/// <summary>
/// What information reporting needs from the client's data model: the current value(s) at a path and the type
/// of a resource. The object store satisfies it; tests use a dictionary. Calls come from the thread that drives
/// the <see cref="Lwm2mReporter"/>. The other direction ("these paths changed at time T") is
/// <see cref="Lwm2mReporter.OnValueChanged(Lwm2mPath, DateTimeOffset)"/>.
/// </summary>
public interface IReportingDataSource
{
    /// <summary>Reads the current value(s) at <paramref name="path"/> (an object, instance, resource or resource instance).</summary>
    /// <param name="path">The path to read.</param>
    /// <param name="node">The node found at the path, shaped for its level.</param>
    /// <returns>False when nothing readable exists at the path.</returns>
    bool TryRead(Lwm2mPath path, [NotNullWhen(true)] out Lwm2mNode? node);

    /// <summary>The data type of the resource a resource or resource-instance path names.</summary>
    /// <param name="path">A resource or resource-instance path.</param>
    /// <param name="type">The resource's type.</param>
    /// <returns>False when the path names no known resource.</returns>
    bool TryGetResourceType(Lwm2mPath path, out Lwm2mResourceType type);
}
