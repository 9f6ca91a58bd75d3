using System.Diagnostics;
using System.Text;

namespace Tern.Coap.Interop.Tests.Harness;

/// <summary>The outcome of a finished tool run.</summary>
/// <param name="ExitCode">The process exit code (-1 when it was killed at the time limit).</param>
/// <param name="StandardOutput">Everything written to stdout.</param>
/// <param name="StandardError">Everything written to stderr.</param>
/// <param name="TimedOut">True when the time limit killed it.</param>
public sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError, bool TimedOut)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"exit {ExitCode}{(TimedOut ? " (killed at the time limit)" : "")}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}

/// <summary>
/// A child process with captured output, a bounded lifetime and a guaranteed kill on dispose, so a stuck peer can
/// neither hang a test run nor outlive it.
/// </summary>
public sealed class ToolProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _outputChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ToolProcess(Process process)
    {
        _process = process;
    }

    /// <summary>The command line, for messages.</summary>
    public required string CommandLine { get; init; }

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Output captured so far.</summary>
    public string StandardOutput
    {
        get
        {
            lock (_gate)
            {
                return _stdout.ToString();
            }
        }
    }

    /// <summary>Error output captured so far.</summary>
    public string StandardError
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/>.</summary>
    public static ToolProcess Start(string fileName, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var tool = new ToolProcess(process) { CommandLine = $"{fileName} {string.Join(' ', info.ArgumentList)}" };
        process.OutputDataReceived += (_, e) => tool.Append(tool._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => tool.Append(tool._stderr, e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {tool.CommandLine}.");
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return tool;
    }

    /// <summary>Runs a tool to completion, killing it at <paramref name="timeLimit"/>.</summary>
    public static async Task<ToolResult> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeLimit)
    {
        await using ToolProcess tool = Start(fileName, arguments);
        return await tool.WaitAsync(timeLimit);
    }

    /// <summary>
    /// Waits until the captured stdout satisfies <paramref name="condition"/>; throws <see cref="TimeoutException"/>
    /// with the output so far after <paramref name="timeLimit"/> or when the process exits first.
    /// </summary>
    public async Task WaitForOutputAsync(Func<string, bool> condition, TimeSpan timeLimit)
    {
        using var limit = new CancellationTokenSource(timeLimit);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (condition(_stdout.ToString()))
                {
                    return;
                }

                changed = _outputChanged.Task;
            }

            if (_process.HasExited)
            {
                throw new TimeoutException($"{CommandLine} exited before the expected output appeared.\n{StandardOutput}\n{StandardError}");
            }

            try
            {
                await Task.WhenAny(changed, _process.WaitForExitAsync(limit.Token)).WaitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{CommandLine} did not print the expected output within {timeLimit.TotalSeconds} s.\n{StandardOutput}\n{StandardError}");
            }
        }
    }

    /// <summary>Waits for the process to exit, killing it at <paramref name="timeLimit"/>.</summary>
    public async Task<ToolResult> WaitAsync(TimeSpan timeLimit)
    {
        bool timedOut = false;
        using (var limit = new CancellationTokenSource(timeLimit))
        {
            try
            {
                await _process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                Kill();
                await _process.WaitForExitAsync();
            }
        }

        // The parameterless wait also drains the redirected streams.
        await _process.WaitForExitAsync();
        return new ToolResult(timedOut ? -1 : _process.ExitCode, StandardOutput, StandardError, timedOut);
    }

    /// <summary>Kills the process (and its children) if it still runs and waits for it to end.</summary>
    public async ValueTask DisposeAsync()
    {
        Kill();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private void Append(StringBuilder into, string? line)
    {
        if (line is null)
        {
            return;
        }

        TaskCompletionSource changed;
        lock (_gate)
        {
            into.AppendLine(line);
            changed = _outputChanged;
            _outputChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}
