using System.Globalization;
using Tern.Coap.Diagnostics;
using Tern.Coap.Endpoint;
using Tern.Lwm2m.Client;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Server;
using Tern.Lwm2m.Server.Bootstrap;
using Tern.Lwm2m.Server.Diagnostics;

namespace WaterMeter;

/// <summary>
/// The scripted walk-through: a Tern bootstrap server, a Tern LwM2M server and the water meter in one process, on the
/// transports and clock given. The steps (bootstrap, register, read, observe, queue mode, send, leak, de-register) each
/// print one line; the first that fails ends the run. Every message is recorded for a sequence chart
/// (<see cref="RenderChart"/>). Run it once, then dispose it.
/// </summary>
public sealed partial class WaterMeterScenario : IAsyncDisposable
{
    private readonly TimeProvider _time;
    private readonly ScenarioTransportFactory _transports;
    private readonly TextWriter _output;
    private readonly List<ScenarioStep> _steps = [];
    private readonly List<Lwm2mClientEvent> _events = [];
    private DateTimeOffset _start;
    private RecordingCoapTransport? _clientTransport;
    private readonly CancellationTokenSource _pumpStop = new();
    private Task? _eventPump;
    private volatile Task? _parkedOn;
    private volatile bool _finished;
    private int _ran;

    /// <summary>Prepares a run; nothing is opened until <see cref="RunAsync"/>.</summary>
    /// <param name="time">The clock of every party: <see cref="TimeProvider.System"/> for real, a virtual one in tests.</param>
    /// <param name="transports">Opens each party's transport.</param>
    /// <param name="output">Where the step lines go.</param>
    /// <param name="settings">Timings and names; defaults when null.</param>
    public WaterMeterScenario(TimeProvider time, ScenarioTransportFactory transports, TextWriter output, ScenarioSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(transports);
        ArgumentNullException.ThrowIfNull(output);
        _time = time;
        _transports = transports;
        _output = output;
        Settings = settings ?? new ScenarioSettings();
        Settings.Meter.Validate();
        Recorder = new CoapMessageRecorder(time);
    }

    /// <summary>The timings and names in use.</summary>
    public ScenarioSettings Settings { get; }

    /// <summary>Every message the three parties exchanged.</summary>
    public CoapMessageRecorder Recorder { get; }

    /// <summary>Called once every party is up, before the first step (tests hook idle checks here).</summary>
    public Action<WaterMeterScenario>? Started { get; init; }

    /// <summary>The bootstrap server, once started.</summary>
    public Lwm2mBootstrapServer? BootstrapServer { get; private set; }

    /// <summary>The LwM2M server, once started.</summary>
    public Lwm2mServer? Server { get; private set; }

    /// <summary>The meter's CoAP endpoint, once started.</summary>
    public CoapEndpoint? ClientEndpoint { get; private set; }

    /// <summary>The meter's LwM2M client, once started.</summary>
    public Lwm2mClient? Client { get; private set; }

    /// <summary>The simulated meter, once started.</summary>
    public WaterMeterDevice? Meter { get; private set; }

    /// <summary>
    /// True while the running step waits for something that needs time to pass (a timer, the meter's readings, the
    /// client's retries), and once the run is over: on a virtual clock, time may move on only then. False while a step
    /// has work to do or waits only for messages, which arrive without the clock moving.
    /// </summary>
    public bool IsIdle => _finished || (_parkedOn is { IsCompleted: false } && _parkedNeedsTime);

    /// <summary>The steps run so far, in order.</summary>
    public IReadOnlyList<ScenarioStep> Steps => [.. _steps];

    /// <summary>The client's events seen so far.</summary>
    public IReadOnlyList<Lwm2mClientEvent> ClientEvents
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Runs every step; true when all succeeded.</summary>
    /// <exception cref="InvalidOperationException">The scenario ran already.</exception>
    public async Task<bool> RunAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _ran, 1) != 0)
        {
            throw new InvalidOperationException("A scenario runs once; create a new one.");
        }

        _start = _time.GetUtcNow();
        await StartPartiesAsync(cancellationToken).ConfigureAwait(false);
        Started?.Invoke(this);
        try
        {
            return await RunStepsAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _finished = true;
        }
    }

    /// <summary>The recorded messages as a Mermaid <c>sequenceDiagram</c>, participants named by role.</summary>
    public string RenderChart() =>
        Lwm2mSequenceChart.Render(Recorder, showTime: true, title: $"Tern water meter {Settings.Endpoint}: bootstrap, register, read, observe, send, leak, de-register");

    /// <summary>Stops the meter, the client and both servers.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping is not null)
        {
            try
            {
                await _stopping.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        if (Client is not null)
        {
            await Client.DisposeAsync().ConfigureAwait(false);
        }

        await _pumpStop.CancelAsync().ConfigureAwait(false);
        if (_eventPump is not null)
        {
            await _eventPump.ConfigureAwait(false);
        }

        _pumpStop.Dispose();

        if (Meter is not null)
        {
            await Meter.DisposeAsync().ConfigureAwait(false);
        }

        if (ClientEndpoint is not null)
        {
            await ClientEndpoint.DisposeAsync().ConfigureAwait(false);
        }

        if (BootstrapServer is not null)
        {
            await BootstrapServer.DisposeAsync().ConfigureAwait(false);
        }

        if (Server is not null)
        {
            await Server.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task StartPartiesAsync(CancellationToken cancellationToken)
    {
        Server = await Lwm2mServer.StartAsync(
            Recorder.Wrap(await _transports(ScenarioRole.Server, cancellationToken).ConfigureAwait(false)),
            new Lwm2mServerOptions { QueueModeAwakeTime = Settings.QueueModeTimeout },
            _time).ConfigureAwait(false);
        BootstrapServer = await Lwm2mBootstrapServer.StartAsync(
            Recorder.Wrap(await _transports(ScenarioRole.BootstrapServer, cancellationToken).ConfigureAwait(false)),
            new Lwm2mBootstrapServerOptions(),
            _time).ConfigureAwait(false);
        _clientTransport = Recorder.Wrap(await _transports(ScenarioRole.Client, cancellationToken).ConfigureAwait(false));
        ClientEndpoint = await CoapEndpoint.StartAsync(_clientTransport, time: _time).ConfigureAwait(false);

        Meter = new WaterMeterDevice(Settings.Endpoint, "U", _time, Settings.Meter);
        var factory = new Lwm2mClientConfiguration([new Lwm2mSecurityInstance(0, BootstrapUri, true, Lwm2mSecurityMode.NoSec)], []);
        var options = new Lwm2mClientOptions(Settings.Endpoint)
        {
            QueueModeTimeout = Settings.QueueModeTimeout,
            BootstrapRetryTimeout = TimeSpan.FromSeconds(1),
            BootstrapRetryCount = 1,
            BootstrapFinishTimeout = Settings.StepTimeout,
        };
        Client = new Lwm2mClient(factory, options, ClientEndpoint, Meter.Store, _time);
        Client.Reporter!.Cache.Enable(WaterMeterResources.Path(WaterMeterResources.CumulatedVolume), 2 * Settings.ReadingsBeforeSend + 2);
        _eventPump = PumpEventsAsync(Client, _pumpStop.Token);
    }

    private string BootstrapUri => $"coap://{BootstrapServer!.LocalEndPoint}";

    private string ServerUri => $"coap://{Server!.LocalEndPoint}";

    private async Task PumpEventsAsync(Lwm2mClient client, CancellationToken cancellationToken)
    {
        try
        {
            while (await client.Events.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (client.Events.TryRead(out Lwm2mClientEvent? e))
                {
                    lock (_events)
                    {
                        _events.Add(e);
                    }

                    ClientEventSeen?.Invoke(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
        }
    }

    private event Action<Lwm2mClientEvent>? ClientEventSeen;

    private void Note(string text) => _clientTransport?.AddNote(text);

    private TimeSpan Elapsed => _time.GetUtcNow() - _start;

    private void Print(ScenarioStep step) =>
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{step.At.TotalSeconds,5:0.00}s] {(step.Succeeded ? "" : "FAILED ")}{step.Name,-11} {step.Detail}"));
}
