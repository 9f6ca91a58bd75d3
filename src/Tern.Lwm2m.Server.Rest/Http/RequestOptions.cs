using System.Globalization;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Server.Rest.Http;

/// <summary>Parses the parts of a REST request that name LwM2M things: paths, content formats, timeouts.</summary>
public static class RequestOptions
{
    /// <summary>The longest timeout a request may ask for.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Parses the path part after the endpoint name (with or without a leading slash).</summary>
    public static bool TryParsePath(string? text, out Lwm2mPath path, out string error)
    {
        string normalized = string.IsNullOrEmpty(text) ? "/" : text[0] == '/' ? text : "/" + text;
        if (Lwm2mPath.TryParse(normalized, out path))
        {
            error = string.Empty;
            return true;
        }
        error = $"'{Shorten(normalized)}' is not an LwM2M path; expected /objectId[/instanceId[/resourceId[/resourceInstanceId]]] with ids from 0 to {Lwm2mPath.MaxId}.";
        return false;
    }

    /// <summary>
    /// Parses a <c>format</c> query value: a content-format name the registry knows (e.g. <c>tlv</c>,
    /// <c>senml-json</c>) or its number. Null or empty means "let the server choose".
    /// </summary>
    public static bool TryParseFormat(string? text, Lwm2mContentFormatRegistry registry, out ushort? format, out string error)
    {
        ArgumentNullException.ThrowIfNull(registry);
        format = null;
        error = string.Empty;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        if (registry.TryGet(text, out ILwm2mContentCodec? codec))
        {
            format = codec.ContentFormat;
            return true;
        }
        error = $"'{Shorten(text)}' is not a content format this server knows; use a number or one of {string.Join(", ", Lwm2mContentFormatRegistry.KnownNames.Order(StringComparer.Ordinal))}.";
        return false;
    }

    /// <summary>Parses a <c>timeout</c> query value in seconds (1 to 600); null or empty means the server's default.</summary>
    public static bool TryParseTimeout(string? text, out TimeSpan? timeout, out string error)
    {
        timeout = null;
        error = string.Empty;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds > 0 && seconds <= MaxTimeout.TotalSeconds)
        {
            timeout = TimeSpan.FromSeconds(seconds);
            return true;
        }
        error = $"'{Shorten(text)}' is not a timeout; give seconds from more than 0 to {MaxTimeout.TotalSeconds}.";
        return false;
    }

    private static string Shorten(string text) => text.Length > 64 ? string.Concat(text.AsSpan(0, 64), "…") : text;
}
