using System.Globalization;
using Tern.Lwm2m.Client;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Client.Reporting;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server;
using Tern.Lwm2m.Server.Bootstrap;
using Tern.Lwm2m.Server.Operations;
using Tern.Lwm2m.Server.Registrations;
using R = WaterMeter.WaterMeterResources;
using ServerObserveResult = Tern.Lwm2m.Server.Operations.ObserveResult;

namespace WaterMeter;

// The story, one step at a time. Each step waits for its outcome on the scenario's clock and says what happened.
public sealed partial class WaterMeterScenario
{
    private enum Usage
    {
        Household,
        Leaking,
    }

    private volatile Usage _usage = Usage.Household;
    private int _readings;
    private long _lastPulses;
    private volatile bool _leaking;
    private Task? _stopping;
    private volatile bool _parkedNeedsTime;
    private volatile string _waitingFor = "the start";

    private async Task<bool> RunStepsAsync(CancellationToken cancellationToken)
    {
        Lwm2mServer server = Server!;
        Lwm2mClient client = Client!;
        WaterMeterDevice meter = Meter!;
        string ep = Settings.Endpoint;
        Lwm2mPath leakPath = R.Path(R.LeakDetected);
        Lwm2mPath volumePath = R.Path(R.CumulatedVolume);

        var session = Signal<BootstrapSessionEventArgs>();
        var registered = Signal<Registration>();
        var sent = Signal<SendEventArgs>();
        var leakNotified = Signal<Lwm2mNotificationEventArgs>();
        var deregistered = Signal<Registration>();
        var sleeping = Signal<Lwm2mQueueModeRxOff>();
        var enoughReadings = Signal<int>();
        BootstrapServer!.SessionEnded += (_, e) => session.TrySetResult(e);
        server.Registered += (_, e) => registered.TrySetResult(e.Registration);
        server.DataReceived += (_, e) => sent.TrySetResult(e);
        server.NotificationReceived += (_, e) =>
        {
            if (e.Observation.Path == leakPath && e.Node is Lwm2mSingleResource { Value.Type: Lwm2mResourceType.Boolean } r && r.Value.AsBoolean())
            {
                leakNotified.TrySetResult(e);
            }
        };
        server.Deregistered += (_, e) => deregistered.TrySetResult(e.Registration);
        ClientEventSeen += e =>
        {
            if (e is Lwm2mQueueModeRxOff off)
            {
                sleeping.TrySetResult(off);
            }
        };
        meter.ReadingPublished += (_, reading) =>
        {
            // Only a reading that moved the volume enters the time series (an unchanged value is no change).
            if (reading.Pulses != Interlocked.Exchange(ref _lastPulses, reading.Pulses) && Interlocked.Increment(ref _readings) == Settings.ReadingsBeforeSend)
            {
                enoughReadings.TrySetResult(Settings.ReadingsBeforeSend);
            }

            meter.Flow = NextFlow(meter.Flow, reading);
        };

        // Delete only the accounts: a Bootstrap-Delete of "/" would also remove the meter's own instances (/3424/0, /5/0).
        BootstrapConfiguration account = BootstrapConfiguration.ForServer(ServerUri, Settings.ShortServerId, Settings.Lifetime, "UQ")
            with { Deletes = [new Lwm2mPath(0), new Lwm2mPath(1)] };
        await BootstrapServer.Store.SetAsync(ep, account, cancellationToken).ConfigureAwait(false);
        await client.StartAsync(cancellationToken).ConfigureAwait(false);

        return await StepAsync("bootstrap", async () =>
            {
                BootstrapSessionEventArgs s = await Until(session.Task, "the end of the bootstrap session", needsTime: true);
                Check(s.Success, $"the bootstrap session failed: {s.Failure}");
                Note("bootstrapped");
                return $"bootstrap server {BootstrapUri} provisioned server account {Settings.ShortServerId}: {ServerUri}, lifetime {Settings.Lifetime.TotalSeconds:0} s, binding UQ ({s.Steps.Count} operations)";
            }, cancellationToken)
            && await StepAsync("register", async () =>
            {
                Registration r = await Until(registered.Task, "the Register");
                Check(r.QueueMode, $"the server did not see queue mode in binding '{r.Binding}'");
                Note("registered");
                meter.Flow = Settings.TapFlow;
                meter.Start();
                return $"{ep} registered at {ServerUri}: LwM2M {r.Lwm2mVersion}, binding {r.Binding}, lifetime {r.Lifetime.TotalSeconds:0} s, objects {string.Join(" ", r.ObjectLinks.Select(l => l.Target))}";
            }, cancellationToken)
            && await StepAsync("read", async () =>
            {
                ReadResult read = await Until(server.ReadAsync(ep, new Lwm2mPath(R.ObjectId, 0), timeout: Settings.StepTimeout, cancellationToken: cancellationToken), "the answer to Read");
                Check(read.IsSuccess && read.Node is Lwm2mObjectInstance, $"Read /3424/0 failed: {read}");
                var instance = (Lwm2mObjectInstance)read.Node!;
                return $"server read /3424/0: {Value(instance, R.MeterType)}, {Value(instance, R.CumulatedPulses)} pulses at {Value(instance, R.PulseRatio)} per m3, "
                    + $"volume {Value(instance, R.CumulatedVolume)} m3, leak detected {Value(instance, R.LeakDetected)} ({instance.Resources.Count} resources)";
            }, cancellationToken)
            && await StepAsync("observe", async () =>
            {
                ServerObserveResult observe = await Until(server.ObserveAsync(ep, leakPath, timeout: Settings.StepTimeout, cancellationToken: cancellationToken), "the answer to Observe");
                Check(observe.IsSuccess, $"Observe {leakPath} failed: {observe}");
                return $"server observes {leakPath} (leak detected): {Describe(observe.Node)}";
            }, cancellationToken)
            && await StepAsync("queue-mode", async () =>
            {
                await Until(sleeping.Task, "the meter to enter queue mode", needsTime: true);
                Note("queue mode: not listening");
                return $"meter stopped listening {Settings.QueueModeTimeout.TotalSeconds:0.#} s after its last exchange; it keeps metering and caching {volumePath}";
            }, cancellationToken)
            && await StepAsync("send", async () =>
            {
                int readings = await Until(enoughReadings.Task, "metering values", needsTime: true);
                SendResult result = await client.SendAsync([volumePath]).ConfigureAwait(false);
                Check(result.IsAccepted, $"the meter could not send: {result.Status} {result.Error}");
                SendEventArgs data = await Until(sent.Task, "the Send at the server");
                List<Lwm2mRecord> volumes = [.. data.Records.Where(x => x.Path == volumePath && x.Value is not null)];
                Check(volumes.Count >= readings, $"the server got {volumes.Count} values of {volumePath}, fewer than the {readings} readings cached");
                return string.Create(CultureInfo.InvariantCulture,
                    $"meter sent its cached readings: the server got {volumes.Count} timestamped values of {volumePath}, {volumes[0].Value!.Value.AsFloat() * 1000:0.0} L to {volumes[^1].Value!.Value.AsFloat() * 1000:0.0} L");
            }, cancellationToken)
            && await StepAsync("leak", async () =>
            {
                _usage = Usage.Leaking;
                Lwm2mNotificationEventArgs notified = await Until(leakNotified.Task, "the leak notification at the server", needsTime: true);
                Note("leak detected");
                return string.Create(CultureInfo.InvariantCulture,
                    $"a leak of {Settings.LeakFlow * 1000:0.00} L/s never stopped: the meter set {leakPath} and the observing server was notified: {Describe(notified.Node)}");
            }, cancellationToken)
            && await StepAsync("deregister", async () =>
            {
                // The outcome that counts is the server's: the client ends its loop on its own time, and disposal waits for it.
                _stopping = client.StopAsync(deregister: true, cancellationToken);
                await Until(deregistered.Task, "the De-register at the server");
                IReadOnlyList<Registration> left = await Until(server.GetRegistrationsAsync(cancellationToken).AsTask(), "the registration list");
                Check(left.Count == 0, $"the server still holds {left.Count} registrations");
                return $"meter de-registered; the server holds {left.Count} registrations";
            }, cancellationToken);
    }

    // Household use opens and closes the tap every metering period, so the flow always stops for a while. The leak
    // starts after one period with the tap closed, and never stops.
    private double NextFlow(double current, MeterReading reading)
    {
        if (_usage == Usage.Household)
        {
            return current > 0 ? 0 : Settings.TapFlow;
        }

        if (!_leaking && current <= 0 && reading.MaximumFlow <= 0)
        {
            _leaking = true;
        }

        return _leaking ? Settings.LeakFlow : 0;
    }

    private async Task<bool> StepAsync(string name, Func<Task<string>> body, CancellationToken cancellationToken)
    {
        ScenarioStep step;
        try
        {
            string detail = await body().WaitAsync(Settings.StepTimeout, _time, cancellationToken).ConfigureAwait(false);
            step = new ScenarioStep(name, true, detail, Elapsed);
        }
        catch (TimeoutException)
        {
            step = new ScenarioStep(name, false, string.Create(CultureInfo.InvariantCulture, $"did not happen within {Settings.StepTimeout.TotalSeconds:0.#} s (waiting for {_waitingFor})"), Elapsed);
        }
        catch (StepFailedException e)
        {
            step = new ScenarioStep(name, false, e.Message, Elapsed);
        }

        _steps.Add(step);
        Print(step);
        return step.Succeeded;
    }

    // The step is parked on a task. One that needs time (timers, retries) lets a virtual clock move on; one that needs
    // only messages holds it, so that the clock cannot run ahead of a reply still on its way through continuations.
    private async Task<T> Until<T>(Task<T> task, string what, bool needsTime = false)
    {
        _waitingFor = what;
        _parkedNeedsTime = needsTime;
        _parkedOn = task;
        return await task.ConfigureAwait(false);
    }

    private async Task Until(Task task, string what, bool needsTime = false)
    {
        _waitingFor = what;
        _parkedNeedsTime = needsTime;
        _parkedOn = task;
        await task.ConfigureAwait(false);
    }

    private static TaskCompletionSource<T> Signal<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static void Check(bool condition, string failure)
    {
        if (!condition)
        {
            throw new StepFailedException(failure);
        }
    }

    private static string Value(Lwm2mObjectInstance instance, int rid) =>
        instance.Resources.FirstOrDefault(r => r.Id == rid) is Lwm2mSingleResource single ? ValueText(single.Value) : "(none)";

    private static string Describe(Lwm2mNode? node) => node is Lwm2mSingleResource single ? ValueText(single.Value) : node?.ToString() ?? "(nothing)";

    private static string ValueText(Lwm2mValue value) => value.Type switch
    {
        Lwm2mResourceType.String => $"'{value.AsString()}'",
        Lwm2mResourceType.Float => value.AsFloat().ToString("0.####", CultureInfo.InvariantCulture),
        Lwm2mResourceType.Boolean => value.AsBoolean() ? "true" : "false",
        Lwm2mResourceType.Integer => value.AsInteger().ToString(CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private sealed class StepFailedException(string message) : Exception(message);
}
