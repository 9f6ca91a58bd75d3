using System.Text.Json.Serialization;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Bootstrap;

namespace Tern.Lwm2m.Server.Rest.Json;

/// <summary>A bootstrap configuration as JSON: paths to delete, nodes to write (each with its path), Discover first or not, and a format.</summary>
public sealed class BootstrapConfigurationDto
{
    /// <summary>The endpoint the configuration is for (set in responses; ignored in requests, where the URL names it).</summary>
    [JsonPropertyName("endpoint")]
    public string? Endpoint { get; set; }

    /// <summary>Paths to delete first; <c>["/"]</c> when absent.</summary>
    [JsonPropertyName("deletes")]
    public List<string>? Deletes { get; set; }

    /// <summary>The nodes to write, in order; each needs its <c>path</c>.</summary>
    [JsonPropertyName("writes")]
    public List<NodeDto>? Writes { get; set; }

    /// <summary>Whether a Bootstrap-Discover comes first.</summary>
    [JsonPropertyName("discover")]
    public bool Discover { get; set; }

    /// <summary>What the Bootstrap-Discover asks about: <c>/</c> (when absent) or an object such as <c>/0</c>.</summary>
    [JsonPropertyName("discoverPath")]
    public string? DiscoverPath { get; set; }

    /// <summary>Objects or instances of /1 and /2 to read with Bootstrap-Read before the deletes.</summary>
    [JsonPropertyName("reads")]
    public List<string>? Reads { get; set; }

    /// <summary>The content format of the writes (a name or number); absent to let the client's preference decide.</summary>
    [JsonPropertyName("format")]
    public string? Format { get; set; }

    /// <summary>Builds the DTO of <paramref name="configuration"/>.</summary>
    public static BootstrapConfigurationDto From(string endpoint, BootstrapConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new BootstrapConfigurationDto
        {
            Endpoint = endpoint,
            Deletes = configuration.Deletes.Select(p => p.ToString()).ToList(),
            Writes = configuration.Writes.Select(w => NodeJson.ToDto(w.Node, w.Path)).ToList(),
            Discover = configuration.Discover,
            DiscoverPath = configuration.DiscoverPath.IsRoot ? null : configuration.DiscoverPath.ToString(),
            Reads = configuration.Reads.Count == 0 ? null : configuration.Reads.Select(p => p.ToString()).ToList(),
            Format = configuration.ContentFormat is { } f && Lwm2mContentFormatRegistry.Default.TryGet(f, out ILwm2mContentCodec? codec) ? codec.Name : configuration.ContentFormat?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Reads the configuration; returns false with a message saying what is wrong.</summary>
    public bool TryToConfiguration(Lwm2mContentFormatRegistry formats, out BootstrapConfiguration? configuration, out string error)
    {
        configuration = null;
        var deletes = new List<Lwm2mPath>();
        foreach (string text in Deletes ?? ["/"])
        {
            if (!Http.RequestOptions.TryParsePath(text, out Lwm2mPath path, out error))
            {
                error = $"deletes: {error}";
                return false;
            }
            deletes.Add(path);
        }
        var writes = new List<BootstrapWrite>();
        foreach (NodeDto write in Writes ?? [])
        {
            if (write is null || write.Path is null || !Lwm2mPath.TryParse(write.Path, out Lwm2mPath path) || path.IsRoot)
            {
                error = "writes: every entry needs a 'path' of an object, instance or resource, e.g. \"/0/1\".";
                return false;
            }
            if (!NodeJson.TryToNode(write, path, out Lwm2mNode? node, out error))
            {
                error = $"writes: {error}";
                return false;
            }
            writes.Add(new BootstrapWrite(path, node!));
        }
        if (!Http.RequestOptions.TryParseFormat(Format, formats, out ushort? format, out error))
        {
            error = $"format: {error}";
            return false;
        }
        Lwm2mPath discoverPath = Lwm2mPath.Root;
        if (DiscoverPath is not null && !Http.RequestOptions.TryParsePath(DiscoverPath, out discoverPath, out error))
        {
            error = $"discoverPath: {error}";
            return false;
        }
        var reads = new List<Lwm2mPath>();
        foreach (string text in Reads ?? [])
        {
            if (!Http.RequestOptions.TryParsePath(text, out Lwm2mPath path, out error))
            {
                error = $"reads: {error}";
                return false;
            }
            reads.Add(path);
        }
        try
        {
            configuration = new BootstrapConfiguration { Deletes = deletes, Writes = writes, Discover = Discover, DiscoverPath = discoverPath, Reads = reads, ContentFormat = format };
        }
        catch (ArgumentException e)
        {
            error = e.ParamName == nameof(BootstrapConfiguration.Reads) ? $"reads: {e.Message}" : $"discoverPath: {e.Message}";
            return false;
        }
        return true;
    }
}
