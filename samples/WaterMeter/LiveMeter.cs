using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Tern.Coap.Diagnostics;
using Tern.Coap.Endpoint;
using Tern.Coap.Transport;
using Tern.Coap.Transport.Udp;
using Tern.Lwm2m.Client;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Client.Reporting;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Diagnostics;
using R = WaterMeter.WaterMeterResources;

namespace WaterMeter;

/// <summary>
/// The meter for real, against any LwM2M server (or bootstrap server) over UDP, on the system clock, until
/// cancelled (Ctrl-C): household use with a seeded pattern, a metering value every 10 s, the cached volumes sent
/// every minute in queue mode, and an immediate Send of the leak flag when it changes. De-registers on the way out.
/// </summary>
internal static class LiveMeter
{
    private static readonly TimeSpan DeregisterBound = TimeSpan.FromSeconds(10);
    private static readonly MeterSettings Settings = new()
    {
        SamplePeriod = TimeSpan.FromSeconds(1),
        ReadingPeriod = TimeSpan.FromSeconds(10),
        Leak = new LeakDetectorOptions { SuspectAfter = TimeSpan.FromMinutes(1), DetectAfter = TimeSpan.FromMinutes(3) },
    };

    private const int ReadingsPerSend = 6;

    public static async Task<int> RunAsync(MeterArguments arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var gate = new Lock();
        void Line(string text)
        {
            lock (gate)
            {
                output.WriteLine($"{DateTimeOffset.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} {text}");
            }
        }

        CoapMessageRecorder? recorder = arguments.ChartPath is null ? null : new CoapMessageRecorder();
        ICoapTransport transport;
        try
        {
            transport = await BindAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            await error.WriteLineAsync($"WaterMeter: cannot open a UDP socket: {e.Message}").ConfigureAwait(false);
            return MeterProgram.ExitFailed;
        }

        int code;
        await using (CoapEndpoint endpoint = await CoapEndpoint.StartAsync(recorder?.Wrap(transport) ?? transport).ConfigureAwait(false))
        await using (var meter = new WaterMeterDevice(arguments.Endpoint, "U", TimeProvider.System, Settings))
        {
            string uri = arguments.ServerUri!;
            var security = new Lwm2mSecurityInstance(0, uri, arguments.Bootstrap, Lwm2mSecurityMode.NoSec) { ShortServerId = arguments.Bootstrap ? null : (ushort)1 };
            var configuration = new Lwm2mClientConfiguration([security], arguments.Bootstrap ? [] : [new Lwm2mServerInstance(0, 1, TimeSpan.FromMinutes(5), "UQ")]);
            var options = new Lwm2mClientOptions(arguments.Endpoint) { QueueModeTimeout = TimeSpan.FromSeconds(30) };
            await using var client = new Lwm2mClient(configuration, options, endpoint, meter.Store);
            client.Reporter!.Cache.Enable(R.Path(R.CumulatedVolume), 2 * ReadingsPerSend);
            Simulate(meter, client, Line);

            Line($"water meter {arguments.Endpoint} -> {uri}{(arguments.Bootstrap ? " (bootstrap server)" : "")}; Ctrl-C de-registers and stops");
            var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var pumpStop = new CancellationTokenSource();
            Task pump = PumpEventsAsync(client, Line, failed, pumpStop.Token);
            await client.StartAsync(cancellationToken).ConfigureAwait(false);
            meter.Start();
            await Task.WhenAny(failed.Task, Task.Delay(Timeout.Infinite, cancellationToken)).ConfigureAwait(false);
            code = failed.Task.IsCompleted ? MeterProgram.ExitFailed : MeterProgram.ExitOk;
            if (code == MeterProgram.ExitOk)
            {
                Line("stopping: de-registering");
                using var bound = new CancellationTokenSource(DeregisterBound);
                try
                {
                    await client.StopAsync(deregister: true, bound.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    Line($"no answer to De-register within {DeregisterBound.TotalSeconds:0} s; stopping anyway");
                }
            }

            await pumpStop.CancelAsync().ConfigureAwait(false);
            await pump.ConfigureAwait(false);
        }

        if (recorder is not null)
        {
            string path = Path.GetFullPath(arguments.ChartPath!);
            await ChartFile.WriteAsync(path, Lwm2mSequenceChart.Render(recorder, showTime: true, title: $"Tern water meter {arguments.Endpoint}"), CancellationToken.None).ConfigureAwait(false);
            Line($"message sequence chart written to {path}");
        }

        return code;
    }

    // Household use: the tap opens for one metering period now and then; the cached volumes go out every minute.
    private static void Simulate(WaterMeterDevice meter, Lwm2mClient client, Action<string> line)
    {
        var random = new Random(3424);
        int readings = 0;
        meter.ReadingPublished += (_, reading) =>
        {
            meter.Flow = random.NextDouble() < 0.3 ? 0.0001 + (random.NextDouble() * 0.0002) : 0;
            line(string.Create(CultureInfo.InvariantCulture, $"reading       {reading.Pulses} pulses, {meter.Meter.Volume * 1000:0.0} L, flow {reading.MinimumFlow * 1000:0.00}..{reading.MaximumFlow * 1000:0.00} L/s"));
            if (++readings % ReadingsPerSend == 0 && client.State is Lwm2mClientState.RegistrationSession or Lwm2mClientState.QueueMode)
            {
                _ = SendAsync(client, [R.Path(R.CumulatedVolume), R.Path(R.CumulatedPulses)], line);
            }
        };
        meter.LeakStatusChanged += (_, status) =>
        {
            line($"leak          {status}");
            _ = SendAsync(client, [R.Path(R.LeakSuspected), R.Path(R.LeakDetected)], line);
        };
    }

    private static async Task SendAsync(Lwm2mClient client, IReadOnlyList<Lwm2mPath> paths, Action<string> line)
    {
        try
        {
            SendResult result = await client.SendAsync(paths).ConfigureAwait(false);
            line($"send          {string.Join(" ", paths)}: {result.Status}{(result.Error is null ? "" : " " + result.Error)}");
        }
        catch (InvalidOperationException e)
        {
            line($"send          not possible yet: {e.Message}");
        }
    }

    private static async Task PumpEventsAsync(Lwm2mClient client, Action<string> line, TaskCompletionSource failed, CancellationToken cancellationToken)
    {
        try
        {
            while (await client.Events.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (client.Events.TryRead(out Lwm2mClientEvent? e))
                {
                    line($"event         {e}");
                    if (e is Lwm2mStateChanged { To: Lwm2mClientState.Failure })
                    {
                        failed.TrySetResult();
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // Dual-mode IPv6 reaches IPv4 and IPv6 servers alike; hosts without IPv6 get IPv4.
    private static async Task<ICoapTransport> BindAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.IPv6Any, 0), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            return await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Any, 0), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }
}
