using System.Globalization;

namespace Tern.Lwm2m.Formats.LinkFormat;

/// <summary>Parsing of <see cref="Lwm2mAttributes"/> from Uri-Query options and link parameters.</summary>
public sealed partial class Lwm2mAttributes
{
    private static readonly System.Buffers.SearchValues<char> VersionChars = System.Buffers.SearchValues.Create("0123456789.");

    /// <summary>
    /// Parses Write-Attributes Uri-Query options (<c>pmin=10</c>, <c>gt=50.5</c>, or a bare <c>st</c> to unset).
    /// Unknown names, bad numbers and repeated names are errors; the offset counts characters in the options
    /// joined with '&amp;'. The result is also validated (<see cref="Validate"/>).
    /// </summary>
    public static Lwm2mCodecResult<Lwm2mAttributes> ParseQuery(IEnumerable<string> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return ParseQuery(string.Join('&', options));
    }

    /// <summary>Parses a query string such as <c>pmin=10&amp;pmax=60</c> (see <see cref="ParseQuery(IEnumerable{string})"/>).</summary>
    public static Lwm2mCodecResult<Lwm2mAttributes> ParseQuery(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var pairs = new List<(string Name, string? Value, int Offset)>();
        int offset = 0;
        foreach (string part in query.Split('&'))
        {
            if (part.Length > 0)
            {
                int eq = part.IndexOf('=', StringComparison.Ordinal);
                pairs.Add(eq < 0 ? (part, null, offset) : (part[..eq], part[(eq + 1)..], offset));
            }

            offset += part.Length + 1;
        }

        return Build(pairs, ignoreUnknown: false);
    }

    /// <summary>
    /// Reads the LwM2M attributes among a link's parameters (as in a Discover answer); parameters that are not
    /// LwM2M attributes (ct, rt, obs…) are ignored. Offsets count parameters.
    /// </summary>
    public static Lwm2mCodecResult<Lwm2mAttributes> FromLink(CoreLink link)
    {
        ArgumentNullException.ThrowIfNull(link);
        return Build([.. link.Parameters.Select((p, k) => (p.Name, p.Value, k))], ignoreUnknown: true);
    }

    private static Lwm2mCodecResult<Lwm2mAttributes> Build(List<(string Name, string? Value, int Offset)> pairs, bool ignoreUnknown)
    {
        long? pmin = null, pmax = null, epmin = null, epmax = null, hqmax = null, dim = null, ssid = null;
        double? gt = null, lt = null, st = null;
        bool? edge = null, con = null;
        string? ver = null, uri = null;
        var unset = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string name, string? value, int offset) in pairs)
        {
            bool known = name is "pmin" or "pmax" or "gt" or "lt" or "st" or "epmin" or "epmax" or "edge" or "con" or "hqmax" or "dim" or "ver" or "ssid" or "uri";
            if (!known)
            {
                if (ignoreUnknown)
                {
                    continue;
                }

                return Fail($"'{name}' is not an LwM2M attribute.", offset);
            }

            if (!seen.Add(name))
            {
                return Fail($"'{name}' is given twice.", offset);
            }

            if (value is null)
            {
                unset.Add(name);
                continue;
            }

            bool ok = name switch
            {
                "pmin" => Integer(value, out pmin),
                "pmax" => Integer(value, out pmax),
                "epmin" => Integer(value, out epmin),
                "epmax" => Integer(value, out epmax),
                "hqmax" => Integer(value, out hqmax),
                "dim" => Integer(value, out dim),
                "ssid" => Integer(value, out ssid),
                "gt" => Real(value, out gt),
                "lt" => Real(value, out lt),
                "st" => Real(value, out st),
                "edge" => Flag(value, out edge),
                "con" => Flag(value, out con),
                "ver" => VersionText(value, out ver),
                _ => (uri = value).Length > 0,
            };

            if (!ok)
            {
                return Fail($"'{value}' is not a valid value for '{name}'.", offset);
            }
        }

        var attributes = new Lwm2mAttributes
        {
            MinimumPeriod = pmin, MaximumPeriod = pmax, GreaterThan = gt, LessThan = lt, Step = st,
            EvaluationMinimumPeriod = epmin, EvaluationMaximumPeriod = epmax, Edge = edge, Confirmable = con,
            HistoricalQueueMax = hqmax, Dimension = dim, Version = ver, ShortServerId = ssid, Uri = uri, Unset = unset,
        };
        return attributes.Validate() is { } invalid ? invalid : Lwm2mCodecResult<Lwm2mAttributes>.Success(attributes);
    }

    private static bool Integer(string text, out long? value)
    {
        bool ok = long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v);
        value = ok ? v : null;
        return ok;
    }

    private static bool Real(string text, out double? value)
    {
        bool ok = double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out double v)
            && double.IsFinite(v);
        value = ok ? v : null;
        return ok;
    }

    private static bool Flag(string text, out bool? value)
    {
        value = text switch { "0" => false, "1" => true, _ => null };
        return value is not null;
    }

    private static bool VersionText(string text, out string? value)
    {
        int dot = text.IndexOf('.', StringComparison.Ordinal);
        bool ok = dot > 0 && dot < text.Length - 1 && !text.AsSpan().ContainsAnyExcept(VersionChars) && text.IndexOf('.', dot + 1) < 0;
        value = ok ? text : null;
        return ok;
    }

    private static Lwm2mCodecResult<Lwm2mAttributes> Fail(string message, int offset) =>
        Lwm2mCodecResult<Lwm2mAttributes>.Failure(Lwm2mCodecErrorKind.Malformed, message, offset);
}
