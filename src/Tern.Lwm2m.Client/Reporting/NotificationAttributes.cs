using Tern.Lwm2m.Formats.LinkFormat;

namespace Tern.Lwm2m.Client.Reporting;

/// <summary>
/// The notification attributes in force for one observed path, after inheritance (resource instance, then
/// resource, then object instance, then object, then the server's defaults /1/x/2 and /1/x/3). Periods are
/// whole seconds as the TS defines them.
/// </summary>
/// <param name="MinPeriod">pmin; zero when no level sets it and /1/x/2 is absent.</param>
/// <param name="MaxPeriod">pmax; null when absent, zero, or below pmin (the TS then ignores it).</param>
/// <param name="GreaterThan">gt: notify when the value crosses this threshold, either way.</param>
/// <param name="LessThan">lt: notify when the value crosses this threshold, either way.</param>
/// <param name="Step">st: notify when the value moved at least this far from the last reported value.</param>
/// <param name="EvaluationMinPeriod">epmin: evaluations of the path are at least this far apart.</param>
/// <param name="EvaluationMaxPeriod">epmax: the path is evaluated at least this often, changed or not; null when absent, zero, or below epmin.</param>
/// <param name="Edge">edge: true notifies on a Boolean's false-to-true transition, false on true-to-false.</param>
/// <param name="Confirmable">con: the notification's message type, or null to use the client's default.</param>
/// <param name="HistoricalQueueMax">hqmax: the most stored notifications kept for this observation while offline.</param>
public readonly record struct NotificationAttributes(
    TimeSpan MinPeriod,
    TimeSpan? MaxPeriod,
    double? GreaterThan,
    double? LessThan,
    double? Step,
    TimeSpan? EvaluationMinPeriod,
    TimeSpan? EvaluationMaxPeriod,
    bool? Edge,
    bool? Confirmable,
    long? HistoricalQueueMax)
{
    /// <summary>True when gt, lt, st or edge decide whether a change is reported (a plain change then is not enough).</summary>
    public bool HasValueCondition => GreaterThan is not null || LessThan is not null || Step is not null || Edge is not null;

    /// <summary>
    /// Resolves the attributes for <paramref name="levels"/>, ordered from the most specific (the observed path's
    /// own attributes) to the least (the object's); null entries are levels without attributes.
    /// </summary>
    /// <param name="levels">Written attributes, most specific first.</param>
    /// <param name="settings">The server's defaults.</param>
    public static NotificationAttributes Resolve(ReadOnlySpan<Lwm2mAttributes?> levels, ReportingServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        long? pmin = null, pmax = null, epmin = null, epmax = null, hqmax = null;
        double? gt = null, lt = null, st = null;
        bool? edge = null, con = null;
        foreach (Lwm2mAttributes? level in levels)
        {
            if (level is null)
            {
                continue;
            }

            pmin ??= level.MinimumPeriod;
            pmax ??= level.MaximumPeriod;
            gt ??= level.GreaterThan;
            lt ??= level.LessThan;
            st ??= level.Step;
            epmin ??= level.EvaluationMinimumPeriod;
            epmax ??= level.EvaluationMaximumPeriod;
            edge ??= level.Edge;
            con ??= level.Confirmable;
            hqmax ??= level.HistoricalQueueMax;
        }

        TimeSpan min = pmin is { } p ? TimeSpan.FromSeconds(p) : settings.DefaultMinPeriod ?? TimeSpan.Zero;
        TimeSpan? max = pmax is { } q ? TimeSpan.FromSeconds(q) : settings.DefaultMaxPeriod;
        if (max is { } m && (m <= TimeSpan.Zero || m < min))
        {
            max = null;
        }

        TimeSpan? evalMin = epmin is > 0 ? TimeSpan.FromSeconds(epmin.Value) : null;
        TimeSpan? evalMax = epmax is > 0 ? TimeSpan.FromSeconds(epmax.Value) : null;
        if (evalMax is { } em && evalMin is { } en && em < en)
        {
            evalMax = null;
        }

        return new NotificationAttributes(min, max, gt, lt, st, evalMin, evalMax, edge, con, hqmax);
    }
}
