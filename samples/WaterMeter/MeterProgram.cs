using System.Diagnostics;
using System.Globalization;
using System.Net;
using Tern.Coap.Transport;
using Tern.Coap.Transport.Udp;

namespace WaterMeter;

/// <summary>The sample's entry point: parses the command line and runs the scenario or the real meter.</summary>
public static class MeterProgram
{
    /// <summary>Every step passed (or usage was asked for).</summary>
    public const int ExitOk = 0;

    /// <summary>A step of the scenario failed, or the real meter ended in failure.</summary>
    public const int ExitFailed = 1;

    /// <summary>The command line is wrong.</summary>
    public const int ExitUsage = 2;

    /// <summary>The scenario as a whole may not take longer than this (it takes a few seconds).</summary>
    private static readonly TimeSpan ScenarioBound = TimeSpan.FromSeconds(60);

    /// <summary>Runs the sample with <paramref name="args"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        (MeterArguments? parsed, string? problem) = MeterArguments.Parse(args);
        if (parsed is null)
        {
            await error.WriteLineAsync($"WaterMeter: {problem}").ConfigureAwait(false);
            await error.WriteLineAsync(MeterArguments.Usage).ConfigureAwait(false);
            return ExitUsage;
        }

        if (parsed.Help)
        {
            await output.WriteLineAsync(MeterArguments.Usage).ConfigureAwait(false);
            return ExitOk;
        }

        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return parsed.IsScenario
                ? await RunScenarioAsync(parsed.ChartPath!, output, error, stop.Token).ConfigureAwait(false)
                : await LiveMeter.RunAsync(parsed, output, error, stop.Token).ConfigureAwait(false);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>The scripted scenario over loopback UDP on the system clock; writes the chart to <paramref name="chartPath"/>.</summary>
    public static async Task<int> RunScenarioAsync(string chartPath, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(ScenarioBound);
        var watch = Stopwatch.StartNew();
        await output.WriteLineAsync("Tern water meter: a bootstrap server, an LwM2M server and the meter in one process, over UDP on 127.0.0.1").ConfigureAwait(false);
        bool passed;
        string chart;
        int messages;
        await using (var scenario = new WaterMeterScenario(TimeProvider.System, LoopbackAsync, output))
        {
            try
            {
                passed = await scenario.RunAsync(bound.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await output.WriteLineAsync("stopped before the end").ConfigureAwait(false);
                passed = false;
            }

            // Let the last acknowledgement land before the parties close, so the chart shows it.
            await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None).ConfigureAwait(false);
            chart = scenario.RenderChart();
            messages = scenario.Recorder.Entries.Count;
        }

        string fullPath = Path.GetFullPath(chartPath);
        try
        {
            await ChartFile.WriteAsync(fullPath, chart, CancellationToken.None).ConfigureAwait(false);
            await output.WriteLineAsync($"message sequence chart ({messages} recorded datagrams and notes) written to {fullPath}").ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"WaterMeter: cannot write the chart to {fullPath}: {e.Message}").ConfigureAwait(false);
            passed = false;
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{(passed ? "every step passed" : "a step FAILED")} in {watch.Elapsed.TotalSeconds:0.0} s")).ConfigureAwait(false);
        return passed ? ExitOk : ExitFailed;
    }

    private static async ValueTask<ICoapTransport> LoopbackAsync(ScenarioRole role, CancellationToken cancellationToken) =>
        await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0), cancellationToken: cancellationToken).ConfigureAwait(false);
}

/// <summary>Writes a Mermaid chart: inside a <c>mermaid</c> code fence for Markdown files (so it renders), bare otherwise.</summary>
public static class ChartFile
{
    /// <summary>Writes <paramref name="chart"/> to <paramref name="path"/>, replacing any file there.</summary>
    public static Task WriteAsync(string path, string chart, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(chart);
        string content = path.EndsWith(".md", StringComparison.OrdinalIgnoreCase)
            ? "# Tern water meter: message sequence chart\n\n```mermaid\n" + chart + (chart.EndsWith('\n') ? "" : "\n") + "```\n"
            : chart;
        return Tern.Coap.Diagnostics.MermaidSequenceChart.WriteTextFileAsync(path, content, cancellationToken);
    }
}
