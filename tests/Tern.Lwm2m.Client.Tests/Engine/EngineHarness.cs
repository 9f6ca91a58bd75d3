using Tern.Coap.Messages;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Engine;

namespace Tern.Lwm2m.Client.Tests.Engine;

/// <summary>What the scripted server does with one request.</summary>
internal readonly record struct Reply(CoapCode? Code, string[] Location, bool Silent = false)
{
    public static Reply With(CoapCode code) => new(code, []);

    public static Reply Timeout => new(null, []);

    /// <summary>No outcome is reported (the test reports it later itself).</summary>
    public static Reply Hold => new(null, [], Silent: true);
}

/// <summary>
/// Drives the sans-I/O engine on a fake clock: steps at <see cref="Lwm2mClientEngine.NextWakeUp"/> and answers
/// every request at once through <see cref="Server"/>, recording requests, closes and events with their times.
/// </summary>
internal sealed class EngineHarness
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public EngineHarness(Lwm2mServerInstance? server = null, Lwm2mClientOptions? options = null, bool withBootstrapAccount = false)
    {
        var securities = new List<Lwm2mSecurityInstance>
        {
            new(1, "coap://dm.example:5683", false, Lwm2mSecurityMode.NoSec) { ShortServerId = 101 },
        };
        if (withBootstrapAccount)
        {
            securities.Add(new(0, "coap://bs.example:5683", true, Lwm2mSecurityMode.NoSec));
        }

        Configuration = new Lwm2mClientConfiguration(securities, [server ?? new Lwm2mServerInstance(0, 101, TimeSpan.FromSeconds(300))]);
        Engine = new Lwm2mClientEngine(Configuration, options ?? DefaultOptions());
    }

    /// <summary>A harness over the given configuration (e.g. a bootstrap-server account only).</summary>
    public EngineHarness(Lwm2mClientConfiguration configuration, Lwm2mClientOptions? options = null)
    {
        Configuration = configuration;
        Engine = new Lwm2mClientEngine(Configuration, options ?? DefaultOptions());
    }

    public const string BootstrapUri = "coap://bs.example:5683";

    public const string DeviceManagementUri = "coap://dm.example:5683";

    /// <summary>Only a bootstrap-server account, as a device leaves the factory.</summary>
    public static Lwm2mClientConfiguration BootstrapOnly(TimeSpan? holdOff = null) =>
        new([new Lwm2mSecurityInstance(0, BootstrapUri, true, Lwm2mSecurityMode.NoSec) { ClientHoldOffTime = holdOff }], []);

    /// <summary>What a bootstrap server typically leaves: its own account plus one LwM2M server account.</summary>
    public static Lwm2mClientConfiguration Bootstrapped(ushort ssid = 202, string uri = "coap://dm2.example:5683", TimeSpan? lifetime = null) => new(
        [new Lwm2mSecurityInstance(0, BootstrapUri, true, Lwm2mSecurityMode.NoSec), new Lwm2mSecurityInstance(1, uri, false, Lwm2mSecurityMode.NoSec) { ShortServerId = ssid }],
        [new Lwm2mServerInstance(0, ssid, lifetime ?? TimeSpan.FromSeconds(120))],
        [new Lwm2mAccessControlInstance(0, 3, 0, ssid) { Acl = [new Lwm2mAclEntry(ssid, Lwm2mAccessRights.Read | Lwm2mAccessRights.Write)] }]);

    public static Lwm2mClientOptions DefaultOptions() => new("node-1")
    {
        Objects = [new(1, "1.1", [0]), new(3, null, [0])],
    };

    public Lwm2mClientConfiguration Configuration { get; }

    public Lwm2mClientEngine Engine { get; }

    public DateTimeOffset Now { get; private set; } = Start;

    public TimeSpan Elapsed => Now - Start;

    public List<(TimeSpan At, Lwm2mSendRequest Request)> Sent { get; } = [];

    public List<(TimeSpan At, Lwm2mCloseConnection Close)> Closes { get; } = [];

    public List<Lwm2mClientEvent> Events { get; } = [];

    public List<(TimeSpan At, long Id)> Held { get; } = [];

    public List<(TimeSpan At, Lwm2mClientConfiguration Configuration)> Saved { get; } = [];

    public Func<Lwm2mSendRequest, Reply> Server { get; set; } = DefaultServer;

    public static Reply DefaultServer(Lwm2mSendRequest request) => request.Kind switch
    {
        Lwm2mRequestKind.Register => new Reply(CoapCode.Created, ["rd", "5a3f"]),
        Lwm2mRequestKind.Update => Reply.With(CoapCode.Changed),
        Lwm2mRequestKind.BootstrapRequest => Reply.With(CoapCode.Changed),
        _ => Reply.With(CoapCode.Deleted),
    };

    public IEnumerable<TimeSpan> SentAt(Lwm2mRequestKind kind) => Sent.Where(s => s.Request.Kind == kind).Select(s => s.At);

    public IEnumerable<T> EventsOf<T>() => Events.OfType<T>();

    public IEnumerable<(Lwm2mClientState From, Lwm2mClientState To)> Transitions =>
        Events.OfType<Lwm2mStateChanged>().Select(e => (e.From, e.To));

    public void StartClient()
    {
        Engine.Start();
        Step();
    }

    /// <summary>Applies whatever was just requested, at the current time.</summary>
    public void Step()
    {
        Engine.Step(Now);
        Pump();
    }

    /// <summary>Runs the engine until <paramref name="elapsed"/> after <see cref="Start"/>.</summary>
    public void RunUntil(TimeSpan elapsed)
    {
        var end = Start + elapsed;
        Step();
        for (var guard = 0; guard < 10_000_000 && Engine.NextWakeUp is { } wake && wake <= end; guard++)
        {
            Now = wake > Now ? wake : Now;
            Step();
        }

        Now = end > Now ? end : Now;
    }

    public void RunFor(TimeSpan span) => RunUntil(Elapsed + span);

    /// <summary>Bootstrap-Finish from the bootstrap server with the configuration its writes left.</summary>
    public Lwm2mBootstrapFinishResult Finish(Lwm2mClientConfiguration candidate)
    {
        var result = Engine.OnBootstrapFinish(candidate, Now);
        Pump();
        return result;
    }

    public void Pump()
    {
        while (Engine.TryTakeAction(out var action))
        {
            switch (action)
            {
                case Lwm2mSendRequest send:
                    Sent.Add((Elapsed, send));
                    var reply = Server(send);
                    if (reply.Silent)
                    {
                        Held.Add((Elapsed, send.ExchangeId));
                    }
                    else if (reply.Code is { } code)
                    {
                        Engine.OnResponse(send.ExchangeId, code, reply.Location, Now);
                    }
                    else
                    {
                        Engine.OnExchangeFailed(send.ExchangeId, "timeout", Now);
                    }

                    break;
                case Lwm2mCloseConnection close:
                    Closes.Add((Elapsed, close));
                    break;
                case Lwm2mSaveConfiguration save:
                    Saved.Add((Elapsed, save.Configuration));
                    break;
            }
        }

        while (Engine.TryTakeEvent(out var e))
        {
            Events.Add(e);
        }
    }
}
