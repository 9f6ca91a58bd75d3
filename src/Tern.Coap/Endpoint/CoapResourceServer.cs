using System.Collections.Concurrent;

namespace Tern.Coap.Endpoint;

/// <summary>
/// A small request handler that maps Uri-Path to <see cref="CoapResource"/>s: enough for demos, interop tests and
/// simple devices. Unknown paths get 4.04, methods a resource does not define 4.05. Safe to change while serving.
/// </summary>
public sealed class CoapResourceServer : ICoapRequestHandler
{
    private readonly ConcurrentDictionary<string, CoapResource> _resources = new(StringComparer.Ordinal);

    /// <summary>The mapped paths.</summary>
    public IEnumerable<string> Paths => _resources.Keys;

    /// <summary>Serves <paramref name="resource"/> at <paramref name="path"/> (e.g. <c>/sensors/temp</c>), replacing any previous one.</summary>
    public CoapResourceServer Map(string path, CoapResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        _resources[Normalize(path)] = resource;
        return this;
    }

    /// <summary>Stops serving <paramref name="path"/>; false when nothing was mapped there.</summary>
    public bool Remove(string path) => _resources.TryRemove(Normalize(path), out _);

    /// <summary>The resource at <paramref name="path"/>, or null.</summary>
    public CoapResource? Find(string path) => _resources.TryGetValue(Normalize(path), out CoapResource? resource) ? resource : null;

    /// <inheritdoc />
    public async ValueTask<CoapResponse?> HandleAsync(CoapRequestContext request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _resources.TryGetValue(request.Request.UriPath, out CoapResource? resource)
            ? await resource.HandleAsync(request, cancellationToken).ConfigureAwait(false)
            : null;
    }

    private static string Normalize(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return "/" + string.Join('/', path.Split('/', StringSplitOptions.RemoveEmptyEntries));
    }
}
