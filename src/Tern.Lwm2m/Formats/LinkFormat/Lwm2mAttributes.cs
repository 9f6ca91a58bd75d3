using System.Globalization;

namespace Tern.Lwm2m.Formats.LinkFormat;

/// <summary>
/// The LwM2M attributes (TS 1.2 Core §5.1.2): notification attributes pmin, pmax, gt, lt, st, epmin, epmax,
/// edge, con, hqmax, and the Discover/Bootstrap-Discover attributes dim, ver, ssid, uri. Parsed from Uri-Query
/// options (Write-Attributes) or from link parameters (Discover), written back to either. A name without a
/// value (<c>?pmin</c>) asks to remove that attribute and is kept in <see cref="Unset"/>.
/// </summary>
public sealed partial class Lwm2mAttributes
{
    /// <summary>pmin: the minimum period between notifications, in seconds.</summary>
    public long? MinimumPeriod { get; init; }

    /// <summary>pmax: the maximum period between notifications, in seconds.</summary>
    public long? MaximumPeriod { get; init; }

    /// <summary>gt: notify when the value crosses above this threshold.</summary>
    public double? GreaterThan { get; init; }

    /// <summary>lt: notify when the value crosses below this threshold.</summary>
    public double? LessThan { get; init; }

    /// <summary>st: notify when the value changed by at least this much.</summary>
    public double? Step { get; init; }

    /// <summary>epmin: the minimum evaluation period, in seconds.</summary>
    public long? EvaluationMinimumPeriod { get; init; }

    /// <summary>epmax: the maximum evaluation period, in seconds.</summary>
    public long? EvaluationMaximumPeriod { get; init; }

    /// <summary>edge: notify on the rising (true) or falling (false) edge of a Boolean resource.</summary>
    public bool? Edge { get; init; }

    /// <summary>con: send notifications as confirmable (true) or non-confirmable (false) messages.</summary>
    public bool? Confirmable { get; init; }

    /// <summary>hqmax: the most historical notifications to queue.</summary>
    public long? HistoricalQueueMax { get; init; }

    /// <summary>dim: the number of instances of a multiple resource (Discover only).</summary>
    public long? Dimension { get; init; }

    /// <summary>ver: the object version, e.g. "1.1" (Register and Discover only).</summary>
    public string? Version { get; init; }

    /// <summary>ssid: the short server id (Bootstrap-Discover only).</summary>
    public long? ShortServerId { get; init; }

    /// <summary>uri: the server URI (Bootstrap-Discover only).</summary>
    public string? Uri { get; init; }

    /// <summary>Names given without a value: attributes a Write-Attributes request removes.</summary>
    public IReadOnlyList<string> Unset { get; init; } = [];

    /// <summary>True when no attribute is set or unset.</summary>
    public bool IsEmpty => ToQuery().Count == 0;

    /// <summary>
    /// Checks the rules between attributes: periods, counts and st are not negative, ssid is 1–65534,
    /// lt &lt; gt, and lt + 2·st &lt; gt when all three are set. Returns null when they hold.
    /// (pmax below pmin, or epmax below epmin, is not an error: the TS says the maximum is then ignored.)
    /// </summary>
    public Lwm2mCodecError? Validate()
    {
        if (MinimumPeriod < 0 || MaximumPeriod < 0 || EvaluationMinimumPeriod < 0 || EvaluationMaximumPeriod < 0 || HistoricalQueueMax < 0 || Dimension < 0)
        {
            return Invalid("Periods, hqmax and dim are not negative.");
        }

        if (Step < 0)
        {
            return Invalid("st is not negative.");
        }

        if (ShortServerId is < 1 or > 65534)
        {
            return Invalid("ssid is 1–65534.");
        }

        if (LessThan is { } lt && GreaterThan is { } gt)
        {
            if (lt >= gt)
            {
                return Invalid($"lt ({Text(lt)}) must be less than gt ({Text(gt)}).");
            }

            if (Step is { } st && lt + (2 * st) >= gt)
            {
                return Invalid($"lt + 2·st ({Text(lt + (2 * st))}) must be less than gt ({Text(gt)}).");
            }
        }

        return null;
    }

    /// <summary>
    /// Applies a Write-Attributes request to these attributes: values it sets replace ours, names it unsets
    /// are removed. The result is validated by the caller.
    /// </summary>
    public Lwm2mAttributes Apply(Lwm2mAttributes update)
    {
        ArgumentNullException.ThrowIfNull(update);
        bool Keep(string name) => !update.Unset.Contains(name, StringComparer.Ordinal);
        return new Lwm2mAttributes
        {
            MinimumPeriod = update.MinimumPeriod ?? (Keep("pmin") ? MinimumPeriod : null),
            MaximumPeriod = update.MaximumPeriod ?? (Keep("pmax") ? MaximumPeriod : null),
            GreaterThan = update.GreaterThan ?? (Keep("gt") ? GreaterThan : null),
            LessThan = update.LessThan ?? (Keep("lt") ? LessThan : null),
            Step = update.Step ?? (Keep("st") ? Step : null),
            EvaluationMinimumPeriod = update.EvaluationMinimumPeriod ?? (Keep("epmin") ? EvaluationMinimumPeriod : null),
            EvaluationMaximumPeriod = update.EvaluationMaximumPeriod ?? (Keep("epmax") ? EvaluationMaximumPeriod : null),
            Edge = update.Edge ?? (Keep("edge") ? Edge : null),
            Confirmable = update.Confirmable ?? (Keep("con") ? Confirmable : null),
            HistoricalQueueMax = update.HistoricalQueueMax ?? (Keep("hqmax") ? HistoricalQueueMax : null),
            Dimension = update.Dimension ?? (Keep("dim") ? Dimension : null),
            Version = update.Version ?? (Keep("ver") ? Version : null),
            ShortServerId = update.ShortServerId ?? (Keep("ssid") ? ShortServerId : null),
            Uri = update.Uri ?? (Keep("uri") ? Uri : null),
        };
    }

    /// <summary>The attributes as name/value pairs in a fixed order (value null for an unset name).</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> ToPairs()
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                pairs.Add(new(name, value));
            }
        }

        Add("pmin", Text(MinimumPeriod));
        Add("pmax", Text(MaximumPeriod));
        Add("gt", Text(GreaterThan));
        Add("lt", Text(LessThan));
        Add("st", Text(Step));
        Add("epmin", Text(EvaluationMinimumPeriod));
        Add("epmax", Text(EvaluationMaximumPeriod));
        Add("edge", Edge is { } e ? (e ? "1" : "0") : null);
        Add("con", Confirmable is { } c ? (c ? "1" : "0") : null);
        Add("hqmax", Text(HistoricalQueueMax));
        Add("dim", Text(Dimension));
        Add("ver", Version);
        Add("ssid", Text(ShortServerId));
        Add("uri", Uri);
        foreach (string name in Unset)
        {
            pairs.Add(new(name, null));
        }

        return pairs;
    }

    /// <summary>Uri-Query options for Write-Attributes, e.g. <c>pmin=10</c>, <c>gt=50.5</c>, <c>st</c>.</summary>
    public IReadOnlyList<string> ToQuery() => [.. ToPairs().Select(p => p.Value is null ? p.Key : $"{p.Key}={p.Value}")];

    /// <summary>Link parameters for Discover answers; uri is quoted as Bootstrap-Discover shows it.</summary>
    public IReadOnlyList<CoreLinkParameter> ToLinkParameters() =>
        [.. ToPairs().Where(p => p.Value is not null).Select(p => new CoreLinkParameter(p.Key, p.Value, Quoted: p.Key == "uri"))];

    /// <summary>The query form joined with '&amp;'.</summary>
    public override string ToString() => string.Join('&', ToQuery());

    private static string? Text(long? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string? Text(double? value) => value?.ToString("R", CultureInfo.InvariantCulture);

    private static Lwm2mCodecError Invalid(string message) => new(Lwm2mCodecErrorKind.Malformed, $"Invalid attributes: {message}");
}
