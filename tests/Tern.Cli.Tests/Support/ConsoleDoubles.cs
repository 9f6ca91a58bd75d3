using System.Text;
using System.Threading.Channels;

namespace Tern.Cli.Tests.Support;

/// <summary>Collects written lines and lets a test await the first one containing some text.</summary>
internal sealed class WatchingWriter : TextWriter
{
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly List<(string Part, TaskCompletionSource<string> Waiter)> _waiters = [];

    public override Encoding Encoding => Encoding.UTF8;

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_gate)
        {
            _lines.Add(value ?? "");
            foreach (var (part, waiter) in _waiters.Where(w => (value ?? "").Contains(w.Part, StringComparison.Ordinal)))
            {
                waiter.TrySetResult(value!);
            }
        }
    }

    /// <summary>The first line containing <paramref name="part"/>, bounded by a real-time safety net (not a pace).</summary>
    public Task<string> LineContaining(string part)
    {
        lock (_gate)
        {
            if (_lines.FirstOrDefault(l => l.Contains(part, StringComparison.Ordinal)) is { } seen)
            {
                return Task.FromResult(seen);
            }

            var waiter = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((part, waiter));
            return waiter.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
    }
}

/// <summary>Standard input the test types into, line by line; <see cref="End"/> closes it.</summary>
internal sealed class TypedInput : TextReader
{
    private readonly Channel<string?> _lines = Channel.CreateUnbounded<string?>();

    public void Type(string line) => _lines.Writer.TryWrite(line);

    public void End() => _lines.Writer.TryWrite(null);

    public override async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) =>
        await _lines.Reader.ReadAsync(cancellationToken);
}
