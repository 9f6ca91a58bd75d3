using System.Collections.Concurrent;
using Tern.Coap.Timing;
using Tern.Coap.Transport;
using Tern.Coap.Transport.Virtual;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Operations;
using Tern.Lwm2m.Server.Registrations;

namespace WaterMeter.Tests;

/// <summary>The sample's scripted scenario, run end to end on the virtual network and clock (no real waiting).</summary>
public sealed class WaterMeterScenarioTests
{
    private static readonly Lwm2mPath Volume = WaterMeterResources.Path(WaterMeterResources.CumulatedVolume);
    private static readonly Lwm2mPath Leak = WaterMeterResources.Path(WaterMeterResources.LeakDetected);

    private sealed class Run : IAsyncDisposable
    {
        private readonly List<IDisposable> _checks = [];

        public Run(Action<Run, WaterMeterScenario>? started = null)
        {
            Clock = new VirtualTimeProvider();
            Network = new VirtualNetwork(Clock, seed: 7) { WaitForReadersToStart = true };
            Scenario = new WaterMeterScenario(Clock, (_, _) => ValueTask.FromResult<ICoapTransport>(Network.CreateTransport()), Output)
            {
                Started = s =>
                {
                    _checks.Add(Network.AddIdleCheck(() => s.Server!.IsIdle && s.BootstrapServer!.IsIdle));
                    _checks.Add(Network.AddIdleCheck(() => s.Client!.IsIdle && s.ClientEndpoint!.IsIdle));
                    _checks.Add(Network.AddIdleCheck(() => s.IsIdle));
                    s.Server!.Registered += (_, e) => Registrations.Enqueue(e.Registration);
                    s.Server.DataReceived += (_, e) => Sends.Enqueue(e);
                    s.Server.NotificationReceived += (_, e) => Notifications.Enqueue(e);
                    s.Server.Deregistered += (_, e) => Deregistrations.Enqueue(e.Registration);
                    started?.Invoke(this, s);
                },
            };
        }

        public VirtualTimeProvider Clock { get; }

        public VirtualNetwork Network { get; }

        public WaterMeterScenario Scenario { get; }

        public StringWriter Output { get; } = new();

        public ConcurrentQueue<Registration> Registrations { get; } = new();

        public ConcurrentQueue<SendEventArgs> Sends { get; } = new();

        public ConcurrentQueue<Lwm2mNotificationEventArgs> Notifications { get; } = new();

        public ConcurrentQueue<Registration> Deregistrations { get; } = new();

        public async Task<bool> RunAsync()
        {
            Task<bool> run = Scenario.RunAsync();
            Assert.True(await VirtualDrive.UntilCompletedAsync(Network, Clock, run, TimeSpan.FromMinutes(5)), "the scenario did not end within 5 virtual minutes");
            return await run;
        }

        public async ValueTask DisposeAsync()
        {
            _checks.ForEach(c => c.Dispose());
            await Scenario.DisposeAsync();
            await Network.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_scenario_passes_every_step_and_the_server_sees_registration_send_leak_and_deregistration()
    {
        await using var run = new Run();

        bool passed = await run.RunAsync();

        Assert.True(passed, run.Output + string.Join("\n", run.Scenario.ClientEvents) + "\n" + run.Scenario.RenderChart());
        Assert.Equal(["bootstrap", "register", "read", "observe", "queue-mode", "send", "leak", "deregister"], run.Scenario.Steps.Select(s => s.Name));
        Assert.All(run.Scenario.Steps, s => Assert.True(s.Succeeded, s.Detail));

        Registration registration = Assert.Single(run.Registrations);
        Assert.Equal("water-meter-1", registration.Endpoint);
        Assert.True(registration.QueueMode);
        Assert.Contains(registration.ObjectLinks, l => l.Target == "/3424/0");
        Assert.Contains(registration.ObjectLinks, l => l.Target == "/5/0");

        // The Send carries the cached time series: several volumes, rising, each with its own timestamp.
        SendEventArgs send = Assert.Single(run.Sends);
        List<Lwm2mRecord> volumes = [.. send.Records.Where(r => r.Path == Volume)];
        Assert.True(volumes.Count >= run.Scenario.Settings.ReadingsBeforeSend, $"{volumes.Count} values of {Volume}");
        Assert.Equal(volumes.Count, volumes.Select(v => v.Timestamp).Distinct().Count());
        double[] litres = [.. volumes.Select(v => v.Value!.Value.AsFloat())];
        Assert.Equal(litres.Order(), litres);
        Assert.True(litres[^1] > litres[0]);

        Lwm2mNotificationEventArgs alarm = Assert.Single(run.Notifications, n => n.Observation.Path == Leak && n.Node is Lwm2mSingleResource r && r.Value.AsBoolean());
        Assert.True(alarm.ReceivedAt > send.ReceivedAt);
        Assert.Equal("water-meter-1", Assert.Single(run.Deregistrations).Endpoint);
        Assert.Empty(await run.Scenario.Server!.GetRegistrationsAsync());
        Assert.Contains("deregister", run.Output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_chart_names_the_three_parties_and_draws_register_send_and_notify_arrows()
    {
        await using var run = new Run();
        Assert.True(await run.RunAsync(), run.Output.ToString());
        string path = Path.Combine(Path.GetTempPath(), $"water-meter-test-{Guid.NewGuid():N}.md");

        try
        {
            await ChartFile.WriteAsync(path, run.Scenario.RenderChart(), CancellationToken.None);
            string[] lines = await File.ReadAllLinesAsync(path);

            Assert.Equal("```mermaid", lines[2]);
            Assert.Equal("sequenceDiagram", lines[3]);
            Assert.Equal("```", lines[^1]);
            string client = Participant(lines, "Client (water-meter-1)");
            string bootstrap = Participant(lines, "Bootstrap server ");
            string server = Participant(lines, "Server ");
            Assert.Contains(lines, l => l.StartsWith($"    {client}->>{bootstrap}: ", StringComparison.Ordinal) && l.Contains("Bootstrap-Request /bs?ep=water-meter-1", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith($"    {bootstrap}->>{client}: ", StringComparison.Ordinal) && l.Contains("Bootstrap-Write /1/0", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith($"    {client}->>{server}: ", StringComparison.Ordinal) && l.Contains("Register /rd?ep=water-meter-1", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith($"    {server}->>{client}: ", StringComparison.Ordinal) && l.EndsWith("Observe /3424/0/10", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith($"    {client}->>{server}: ", StringComparison.Ordinal) && l.EndsWith("Send /dp", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith($"    {client}->>{server}: ", StringComparison.Ordinal) && l.EndsWith("Notify /3424/0/10", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith($"    {client}->>{server}: ", StringComparison.Ordinal) && l.Contains("De-register /rd/", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith($"    Note over {client}: ", StringComparison.Ordinal) && l.EndsWith("leak detected", StringComparison.Ordinal));

            // Register comes before the Send, the Send before the leak notification.
            int register = Array.FindIndex(lines, l => l.Contains("Register /rd?", StringComparison.Ordinal));
            int sendLine = Array.FindIndex(lines, l => l.EndsWith("Send /dp", StringComparison.Ordinal));
            int notify = Array.FindIndex(lines, l => l.EndsWith("Notify /3424/0/10", StringComparison.Ordinal));
            Assert.True(register < sendLine && sendLine < notify, string.Join('\n', lines));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_bootstrap_server_that_never_answers_fails_the_first_step_and_ends_the_run()
    {
        await using var run = new Run((r, s) => r.Network.Partition(s.ClientEndpoint!.LocalEndPoint, s.BootstrapServer!.LocalEndPoint));

        bool passed = await run.RunAsync();

        Assert.False(passed);
        ScenarioStep step = Assert.Single(run.Scenario.Steps);
        Assert.Equal("bootstrap", step.Name);
        Assert.False(step.Succeeded);
        Assert.Contains("FAILED bootstrap", run.Output.ToString(), StringComparison.Ordinal);
        Assert.Empty(run.Registrations);
    }

    private static string Participant(string[] lines, string namePrefix)
    {
        string line = Assert.Single(lines, l => l.StartsWith("    participant ", StringComparison.Ordinal) && l.Contains(" as " + namePrefix, StringComparison.Ordinal));
        return line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
    }
}
