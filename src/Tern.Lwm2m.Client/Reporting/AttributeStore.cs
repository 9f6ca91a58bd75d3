using Tern.Lwm2m.Formats.LinkFormat;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Reporting;

/// <summary>
/// The notification attributes one server wrote with Write-Attributes, per path (object, instance, resource or
/// resource instance), checked against the TS rules before they are kept. <see cref="Version"/> changes on every
/// accepted write so observations know to resolve their attributes again.
/// </summary>
public sealed class AttributeStore
{
    private readonly Dictionary<Lwm2mPath, Lwm2mAttributes> _byPath = [];

    /// <summary>Grows by one on every accepted write.</summary>
    public long Version { get; private set; }

    /// <summary>How many paths hold attributes.</summary>
    public int Count => _byPath.Count;

    /// <summary>The attributes written on exactly this path, or null.</summary>
    /// <param name="path">The path.</param>
    public Lwm2mAttributes? Get(Lwm2mPath path) => _byPath.GetValueOrDefault(path);

    /// <summary>
    /// Applies a Write-Attributes request: <paramref name="query"/> holds the Uri-Query options (<c>pmin=10</c>, or
    /// <c>gt</c> alone to remove gt). The merged attributes of the path must hold the TS rules: no negative period or
    /// step, pmin ≤ pmax, epmin ≤ epmax, lt &lt; gt, lt + 2·st &lt; gt; gt, lt and st only on a numeric resource (or
    /// resource instance), edge only on a Boolean one; dim, ver, ssid and uri are not writable. Nothing changes on refusal.
    /// </summary>
    /// <param name="path">The request path.</param>
    /// <param name="query">The Uri-Query options.</param>
    /// <param name="data">Tells whether the path exists and the resource's type.</param>
    public AttributeWriteResult Write(Lwm2mPath path, IEnumerable<string> query, IReportingDataSource data)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(data);
        if (path.IsRoot)
        {
            return new(AttributeWriteStatus.MethodNotAllowed, "Attributes cannot be written on the root path.");
        }

        var parsed = Lwm2mAttributes.ParseQuery(query);
        if (!parsed.IsSuccess)
        {
            return AttributeWriteResult.Bad(parsed.Error!.Message);
        }

        Lwm2mAttributes update = parsed.Value!;
        if (update.Dimension is not null || update.Version is not null || update.ShortServerId is not null || update.Uri is not null
            || update.Unset.Any(n => n is "dim" or "ver" or "ssid" or "uri"))
        {
            return AttributeWriteResult.Bad("dim, ver, ssid and uri are not notification attributes and cannot be written.");
        }

        Lwm2mResourceType? type = null;
        if (path.Level >= Lwm2mPathLevel.Resource)
        {
            if (!data.TryGetResourceType(path, out Lwm2mResourceType t))
            {
                return new(AttributeWriteStatus.NotFound, $"No resource at {path}.");
            }

            type = t;
        }
        else if (!data.TryRead(path, out _))
        {
            return new(AttributeWriteStatus.NotFound, $"Nothing at {path}.");
        }

        Lwm2mAttributes merged = (Get(path) ?? new Lwm2mAttributes()).Apply(update);
        if (Check(merged, path, type) is { } error)
        {
            return AttributeWriteResult.Bad(error);
        }

        if (merged.IsEmpty)
        {
            _byPath.Remove(path);
        }
        else
        {
            _byPath[path] = merged;
        }

        Version++;
        return new(AttributeWriteStatus.Changed, null);
    }

    /// <summary>
    /// The attributes in force for <paramref name="path"/>: its own, then its ancestors' up to the object, then the
    /// server's defaults; <paramref name="observeAttributes"/> (given with the Observe request) come before all of them.
    /// </summary>
    /// <param name="path">The observed path.</param>
    /// <param name="settings">The server's defaults.</param>
    /// <param name="observeAttributes">Attributes the Observe request itself carried, or null.</param>
    public NotificationAttributes Resolve(Lwm2mPath path, ReportingServerSettings settings, Lwm2mAttributes? observeAttributes = null)
    {
        Span<Lwm2mAttributes?> levels = new Lwm2mAttributes?[5];
        int count = 0;
        levels[count++] = observeAttributes;
        for (Lwm2mPath p = path; !p.IsRoot; p = p.Parent)
        {
            levels[count++] = _byPath.Count == 0 ? null : Get(p);
        }

        return NotificationAttributes.Resolve(levels[..count], settings);
    }

    /// <summary>Forgets every attribute (e.g. when the server account is removed).</summary>
    public void Clear()
    {
        _byPath.Clear();
        Version++;
    }

    internal static string? Check(Lwm2mAttributes a, Lwm2mPath path, Lwm2mResourceType? type)
    {
        if (a.Validate() is { } invalid)
        {
            return invalid.Message;
        }

        if (a.MinimumPeriod is { } pmin && a.MaximumPeriod is { } pmax && pmin > pmax)
        {
            return $"pmin ({pmin}) must not exceed pmax ({pmax}).";
        }

        if (a.EvaluationMinimumPeriod is { } epmin && a.EvaluationMaximumPeriod is { } epmax && epmin > epmax)
        {
            return $"epmin ({epmin}) must not exceed epmax ({epmax}).";
        }

        bool numeric = a.GreaterThan is not null || a.LessThan is not null || a.Step is not null;
        if (numeric && type is not (Lwm2mResourceType.Integer or Lwm2mResourceType.UnsignedInteger or Lwm2mResourceType.Float))
        {
            return type is null
                ? $"gt, lt and st apply to numeric resources only, not to {path}."
                : $"gt, lt and st apply to numeric resources only; {path} is {type}.";
        }

        if (a.Edge is not null && type != Lwm2mResourceType.Boolean)
        {
            return type is null
                ? $"edge applies to Boolean resources only, not to {path}."
                : $"edge applies to Boolean resources only; {path} is {type}.";
        }

        return null;
    }
}
