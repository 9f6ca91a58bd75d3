using Tern.Lwm2m.Formats.LinkFormat;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Reporting;

public sealed partial class Lwm2mReporter
{
    /// <summary>
    /// When <see cref="Step"/> must run next: the earliest of a pmin ending for a triggered path, a pmax running out,
    /// an epmin ending for a held-back change, an epmax evaluation, or now when a change waits to be evaluated.
    /// Null when only a change or a request can cause a notification.
    /// </summary>
    public DateTimeOffset? NextWakeUp
    {
        get
        {
            DateTimeOffset? next = null;
            foreach (ServerState server in _serverList)
            {
                IReadOnlyList<Observation> items = server.Table.Items;
                for (int i = 0; i < items.Count; i++)
                {
                    Observation observation = items[i];
                    Refresh(server, observation);
                    foreach (ObservedPath p in observation.PathStates)
                    {
                        NotificationAttributes a = p.Attributes;
                        if (p.ChangePending)
                        {
                            DateTimeOffset allowed = a.EvaluationMinPeriod is { } en ? p.LastEvaluatedAt + en : p.LastEvaluatedAt;
                            next = Min(next, allowed > p.ChangedAt ? allowed : p.ChangedAt);
                        }

                        if (a.EvaluationMaxPeriod is { } em)
                        {
                            next = Min(next, p.LastEvaluatedAt + em);
                        }

                        if (p.Triggered)
                        {
                            next = Min(next, observation.LastNotifiedAt + a.MinPeriod);
                        }

                        if (a.MaxPeriod is { } max)
                        {
                            next = Min(next, observation.LastNotifiedAt + max);
                        }
                    }
                }
            }

            return next;
        }
    }

    /// <summary>
    /// Evaluates every observation at <paramref name="now"/>: pending changes (unless epmin holds them back) and epmax
    /// evaluations read the value and test gt, lt, st and edge (or a plain change when none is set); a notification
    /// goes out when a triggered path's pmin has passed since the observation's last notification, or when a pmax ran out.
    /// Notifications to an offline server are stored (or discarded when /1/x/6 is false).
    /// </summary>
    /// <param name="now">The current time.</param>
    public void Step(DateTimeOffset now)
    {
        foreach (ServerState server in _serverList)
        {
            IReadOnlyList<Observation> items = server.Table.Items;
            for (int i = 0; i < items.Count; i++)
            {
                Observation observation = items[i];
                Refresh(server, observation);
                bool due = false;
                TimeSpan elapsed = now - observation.LastNotifiedAt;
                foreach (ObservedPath p in observation.PathStates)
                {
                    Evaluate(p, now);
                    due |= (p.Triggered && elapsed >= p.Attributes.MinPeriod) || (p.Attributes.MaxPeriod is { } max && elapsed >= max);
                }

                if (due && Notify(server, observation, now))
                {
                    i--;
                }

                foreach (ObservedPath p in observation.PathStates)
                {
                    p.FreshNode = null;
                }
            }
        }
    }

    private static void Refresh(ServerState server, Observation observation)
    {
        long version = server.Attributes.Version + (server.SettingsVersion << 32);
        if (observation.AttributesVersion == version)
        {
            return;
        }

        foreach (ObservedPath p in observation.PathStates)
        {
            p.Attributes = server.Attributes.Resolve(p.Path, server.Settings, observation.ObserveAttributes);
        }

        observation.AttributesVersion = version;
    }

    private void Evaluate(ObservedPath p, DateTimeOffset now)
    {
        NotificationAttributes a = p.Attributes;
        bool evaluationDue = a.EvaluationMaxPeriod is { } em && now - p.LastEvaluatedAt >= em;
        if (!p.ChangePending && !evaluationDue)
        {
            return;
        }

        if (a.EvaluationMinPeriod is { } en && now - p.LastEvaluatedAt < en)
        {
            return;
        }

        p.ChangePending = false;
        p.LastEvaluatedAt = now;
        if (!_data.TryRead(p.Path, out Lwm2mNode? node))
        {
            p.FreshNode = null;
            p.Triggered = true;
            return;
        }

        p.FreshNode = node;
        double? value = Number(node);
        if (!a.HasValueCondition || value is null)
        {
            p.Triggered |= !Equals(node, p.LastReported);
            return;
        }

        double v = value.Value;
        double? previous = p.LastSampledNumber;
        bool met = Crossed(previous, v, a.GreaterThan) || Crossed(previous, v, a.LessThan);
        if (a.Step is { } st)
        {
            met |= p.LastReportedNumber is not { } reported || Math.Abs(v - reported) >= st;
        }

        if (a.Edge is { } rising)
        {
            met |= rising ? previous == 0 && v == 1 : previous == 1 && v == 0;
        }

        p.LastSampledNumber = v;
        p.Triggered |= met;
    }

    /// <summary>True when the value moved from one side of <paramref name="threshold"/> to the other (above means strictly above).</summary>
    private static bool Crossed(double? previous, double current, double? threshold) =>
        threshold is { } t && previous is { } p && (p > t) != (current > t);

    /// <summary>Makes the notification; returns true when the observation ended (its single path vanished).</summary>
    private bool Notify(ServerState server, Observation observation, DateTimeOffset now)
    {
        ObservedPath[] states = observation.PathStates;
        var values = new ReportedPath[states.Length];
        bool anyCon = false, anySet = false, vanished = false;
        long? hqmax = null;
        for (int k = 0; k < states.Length; k++)
        {
            ObservedPath p = states[k];
            Lwm2mNode? node = p.FreshNode;
            if (node is null && !_data.TryRead(p.Path, out node))
            {
                vanished = true;
            }

            List<Lwm2mRecord>? history = null;
            if (Cache.CoversAny(p.Path))
            {
                p.CacheCursor = Cache.CollectSince(p.Path, p.CacheCursor, ref history);
            }

            p.LastReported = node;
            p.LastReportedNumber = Number(node);
            p.LastSampledNumber = p.LastReportedNumber;
            p.Triggered = false;
            values[k] = new ReportedPath(p.Path, node, history);
            if (p.Attributes.Confirmable is { } con)
            {
                anySet = true;
                anyCon |= con;
            }

            hqmax ??= p.Attributes.HistoricalQueueMax;
        }

        bool confirmable = anySet ? anyCon : _options.DefaultConfirmable;
        if (_options.ConfirmableInterval is { } interval && now - observation.LastConfirmableAt >= interval)
        {
            confirmable = true;
        }

        if (confirmable)
        {
            observation.LastConfirmableAt = now;
        }

        observation.LastNotifiedAt = now;
        var action = new NotifyAction(server.Settings.ShortServerId, now, observation.Id, observation.Token, observation.NextSequence(),
            observation.ContentFormat, confirmable, observation.IsComposite, values)
        {
            Order = ++_lastOrder,
        };
        Deliver(server, action, hqmax);
        if (vanished && !observation.IsComposite)
        {
            server.Table.Remove(observation.TokenBytes);
            return true;
        }

        return false;
    }

    private void Deliver(ServerState server, ReportingAction action, long? hqmax)
    {
        if (server.Online)
        {
            _actions.Enqueue(action);
        }
        else if (server.Settings.NotificationStoring)
        {
            server.Stored.Enqueue(MarkStored(action), _options.MaxStoredPerServer, _options.StoredOverflow, hqmax);
        }
    }

    /// <summary>The value a numeric or Boolean single value carries (Booleans as 0 and 1), or null.</summary>
    private static double? Number(Lwm2mNode? node)
    {
        Lwm2mValue value;
        switch (node)
        {
            case Lwm2mSingleResource r:
                value = r.Value;
                break;
            case Lwm2mResourceInstance ri:
                value = ri.Value;
                break;
            default:
                return null;
        }

        return value.Type switch
        {
            Lwm2mResourceType.Integer => value.AsInteger(),
            Lwm2mResourceType.UnsignedInteger => value.AsUnsignedInteger(),
            Lwm2mResourceType.Float => value.AsFloat(),
            Lwm2mResourceType.Boolean => value.AsBoolean() ? 1 : 0,
            _ => null,
        };
    }

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x <= b ? x : b;
}
