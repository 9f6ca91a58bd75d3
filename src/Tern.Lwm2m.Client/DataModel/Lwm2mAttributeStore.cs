using Tern.Lwm2m.Formats.LinkFormat;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.DataModel;

/// <summary>
/// The notification attributes each server attached with Write-Attributes, keyed by short server id and path.
/// Only the attributes written on a path itself are kept here; inheritance (resource ← instance ← object ← the
/// server's defaults) is the reporting layer's business, which reads them through <see cref="GetAttributes"/>.
/// Thread-safe.
/// </summary>
public sealed class Lwm2mAttributeStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(int Ssid, Lwm2mPath Path), Lwm2mAttributes> _attributes = [];

    /// <summary>Raised after a Write-Attributes changed what a server has on a path.</summary>
    public event EventHandler<Lwm2mAttributesChangedEventArgs>? Changed;

    /// <summary>The attributes server <paramref name="ssid"/> wrote on <paramref name="path"/> itself, or null when none.</summary>
    public Lwm2mAttributes? GetAttributes(int ssid, Lwm2mPath path)
    {
        lock (_gate)
        {
            return _attributes.TryGetValue((ssid, path), out Lwm2mAttributes? found) ? found : null;
        }
    }

    /// <summary>Every path server <paramref name="ssid"/> attached attributes to, ascending.</summary>
    public IReadOnlyList<Lwm2mPath> GetPaths(int ssid)
    {
        lock (_gate)
        {
            return [.. _attributes.Keys.Where(k => k.Ssid == ssid).Select(k => k.Path).Order()];
        }
    }

    /// <summary>
    /// Applies a Write-Attributes <paramref name="update"/> (values set, names unset) to what server
    /// <paramref name="ssid"/> has on <paramref name="path"/>. Returns the merged attributes, or the reason they are
    /// refused (the merged set must still pass <see cref="Lwm2mAttributes.Validate"/>); nothing changes when refused.
    /// </summary>
    public Lwm2mAttributes Apply(int ssid, Lwm2mPath path, Lwm2mAttributes update, out string? refusal)
    {
        ArgumentNullException.ThrowIfNull(update);
        Lwm2mAttributes merged;
        lock (_gate)
        {
            Lwm2mAttributes current = _attributes.TryGetValue((ssid, path), out Lwm2mAttributes? found) ? found : new Lwm2mAttributes();
            merged = current.Apply(update);
            if (merged.Validate() is { } invalid)
            {
                refusal = invalid.Message;
                return current;
            }

            if (merged.IsEmpty)
            {
                _attributes.Remove((ssid, path));
            }
            else
            {
                _attributes[(ssid, path)] = merged;
            }
        }

        refusal = null;
        Changed?.Invoke(this, new Lwm2mAttributesChangedEventArgs(ssid, path));
        return merged;
    }

    /// <summary>Forgets the attributes of every server on <paramref name="path"/> and beneath it (the instance was deleted).</summary>
    public void RemoveUnder(Lwm2mPath path)
    {
        lock (_gate)
        {
            foreach ((int, Lwm2mPath) key in _attributes.Keys.Where(k => path.Contains(k.Path)).ToList())
            {
                _attributes.Remove(key);
            }
        }
    }

    /// <summary>Forgets everything server <paramref name="ssid"/> wrote (e.g. its account was removed).</summary>
    public void RemoveServer(int ssid)
    {
        lock (_gate)
        {
            foreach ((int, Lwm2mPath) key in _attributes.Keys.Where(k => k.Ssid == ssid).ToList())
            {
                _attributes.Remove(key);
            }
        }
    }
}

/// <summary>A server changed the attributes on one path.</summary>
/// <param name="ssid">The server's short server id.</param>
/// <param name="path">The path.</param>
public sealed class Lwm2mAttributesChangedEventArgs(int ssid, Lwm2mPath path) : EventArgs
{
    /// <summary>The short server id.</summary>
    public int ShortServerId { get; } = ssid;

    /// <summary>The path whose attributes changed.</summary>
    public Lwm2mPath Path { get; } = path;
}
