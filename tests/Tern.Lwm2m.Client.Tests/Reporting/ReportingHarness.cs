using System.Diagnostics.CodeAnalysis;
using Tern.Lwm2m.Client.Reporting;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Tests.Reporting;

/// <summary>An in-memory data model: single resources with typed values, grouped into instances and objects on read.</summary>
internal sealed class FakeData : IReportingDataSource
{
    private readonly SortedDictionary<Lwm2mPath, Lwm2mValue> _values = [];

    public int Reads { get; private set; }

    public void Set(Lwm2mPath path, Lwm2mValue value) => _values[path] = value;

    public void Remove(Lwm2mPath path) => _values.Remove(path);

    public bool TryRead(Lwm2mPath path, [NotNullWhen(true)] out Lwm2mNode? node)
    {
        Reads++;
        node = null;
        var under = _values.Where(kv => path.Contains(kv.Key)).ToList();
        if (under.Count == 0)
        {
            return false;
        }

        node = path.Level switch
        {
            Lwm2mPathLevel.Resource => new Lwm2mSingleResource(path.ResourceId!.Value, under[0].Value),
            Lwm2mPathLevel.ObjectInstance => new Lwm2mObjectInstance(path.InstanceId!.Value,
                [.. under.Select(kv => (Lwm2mResource)new Lwm2mSingleResource(kv.Key.ResourceId!.Value, kv.Value))]),
            Lwm2mPathLevel.Object => new Lwm2mObject(path.ObjectId!.Value,
                [.. under.GroupBy(kv => kv.Key.InstanceId!.Value).Select(g => new Lwm2mObjectInstance(g.Key,
                    [.. g.Select(kv => (Lwm2mResource)new Lwm2mSingleResource(kv.Key.ResourceId!.Value, kv.Value))]))]),
            _ => null,
        };
        return node is not null;
    }

    public bool TryGetResourceType(Lwm2mPath path, out Lwm2mResourceType type)
    {
        Lwm2mPath resource = path.Level == Lwm2mPathLevel.ResourceInstance ? path.Parent : path;
        bool found = _values.TryGetValue(resource, out Lwm2mValue value);
        type = value.Type;
        return found;
    }
}

/// <summary>
/// A reporter over <see cref="FakeData"/> on a virtual clock: <see cref="RunUntil"/> steps at every
/// <see cref="Lwm2mReporter.NextWakeUp"/> and records the actions with the second they were taken.
/// </summary>
internal sealed class ReportingHarness
{
    public const ushort Ssid = 101;
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    public static readonly Lwm2mPath Temperature = new(3303, 0, 5700);
    public static readonly Lwm2mPath Alarm = new(3303, 0, 5500);
    public static readonly Lwm2mPath Units = new(3303, 0, 5701);
    public static readonly byte[] Token = [0xA1, 0xB2];

    public ReportingHarness(ReportingServerSettings? settings = null, ReportingOptions? options = null, TimeSeriesCache? cache = null)
    {
        Data.Set(Temperature, Lwm2mValue.FromFloat(20));
        Data.Set(Alarm, Lwm2mValue.FromBoolean(false));
        Data.Set(Units, Lwm2mValue.FromString("Cel"));
        Reporter = new Lwm2mReporter(Data, options, cache);
        Reporter.AddServer(settings ?? new ReportingServerSettings(Ssid));
    }

    public FakeData Data { get; } = new();

    public Lwm2mReporter Reporter { get; }

    public DateTimeOffset Now { get; private set; } = Start;

    public List<(double At, ReportingAction Action)> Taken { get; } = [];

    public IEnumerable<(double At, NotifyAction Notify)> Notifications =>
        Taken.Where(t => t.Action is NotifyAction).Select(t => (t.At, (NotifyAction)t.Action));

    public double[] NotifyTimes => [.. Notifications.Select(n => n.At)];

    public static DateTimeOffset At(double seconds) => Start + TimeSpan.FromSeconds(seconds);

    public void Write(string query, Lwm2mPath path)
    {
        AttributeWriteResult result = Reporter.WriteAttributes(Ssid, path, query.Split('&'));
        Assert.True(result.IsSuccess, result.Error);
    }

    public Observation Observe(Lwm2mPath path, byte[]? token = null)
    {
        ObserveResult result = Reporter.Observe(Ssid, path, token ?? Token, null, Now);
        Assert.Equal(ObserveStatus.Observing, result.Status);
        return result.Observation!;
    }

    /// <summary>Advances to <paramref name="seconds"/> after the start, stepping at every wake-up on the way.</summary>
    public void RunUntil(double seconds)
    {
        DateTimeOffset end = At(seconds);
        for (int guard = 0; Reporter.NextWakeUp is { } wake && wake <= end; guard++)
        {
            Assert.True(guard < 100_000, "the reporter keeps waking without progress");
            Now = wake > Now ? wake : Now;
            Reporter.Step(Now);
            Collect();
        }

        Now = end;
        Reporter.Step(Now);
        Collect();
    }

    /// <summary>Sets a value at <paramref name="seconds"/> (running the clock there first) and reports the change.</summary>
    public void SetAt(double seconds, Lwm2mPath path, Lwm2mValue value)
    {
        RunUntil(seconds);
        Data.Set(path, value);
        Reporter.OnValueChanged(path, Now);
        Reporter.Step(Now);
        Collect();
    }

    public void Collect()
    {
        while (Reporter.TryTakeAction(out ReportingAction? action))
        {
            Taken.Add(((action.TakenAt - Start).TotalSeconds, action));
        }
    }

    public static double ValueOf(NotifyAction notify) => ((Lwm2mSingleResource)notify.Values[0].Node!).Value.AsFloat();
}
