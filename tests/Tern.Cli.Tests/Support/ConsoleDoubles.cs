using System.Text;
using System.Threading.Channels;

namespace Tern.Cli.Tests.Support;

/// <summary>Collects written lines and lets a test await the first one containing some text.</summary>
internal sealed class WatchingWriter : TextWriter
{
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly List<Waiter> _waiters = [];

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
            foreach (Waiter waiter in _waiters.Where(w => (value ?? "").Contains(w.Part, StringComparison.Ordinal)))
            {
                if (--waiter.Remaining == 0)
                {
                    waiter.Line.TrySetResult(value!);
                }
            }
        }
    }

    /// <summary>The first line containing <paramref name="part"/>, bounded by a real-time safety net (not a pace).</summary>
    public Task<string> LineContaining(string part) => LineContaining(part, 1);

    /// <summary>The <paramref name="occurrence"/>-th line containing <paramref name="part"/> (1 is the first), bounded likewise.</summary>
    public Task<string> LineContaining(string part, int occurrence)
    {
        lock (_gate)
        {
            List<string> seen = [.. _lines.Where(l => l.Contains(part, StringComparison.Ordinal))];
            if (seen.Count >= occurrence)
            {
                return Task.FromResult(seen[occurrence - 1]);
            }

            var waiter = new Waiter(part, occurrence - seen.Count);
            _waiters.Add(waiter);
            return waiter.Line.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
    }

    private sealed class Waiter(string part, int remaining)
    {
        public string Part { get; } = part;

        public int Remaining { get; set; } = remaining;

        public TaskCompletionSource<string> Line { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
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
