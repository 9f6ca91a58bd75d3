using System.Diagnostics;
using Tern.Coap.Timing;

namespace Tern.Coap.Transport.Virtual;

public sealed partial class VirtualNetwork
{
    // After the receive loops are parked, the network must also look unchanged (no send, no receive, no new
    // timer) across this many turns of the scheduler before it counts as settled: that catches work the
    // receive loops handed to other tasks.
    private const int QuietTurnsRequired = 4;

    private long _activity;
    private int _processingCount;
    private TaskCompletionSource? _idleSignal;

    /// <summary>
    /// The most real time one settling may take before it fails with <see cref="TimeoutException"/> naming the
    /// transports still busy (10 s unless set). A safety net against a reader that never comes back, not a pace.
    /// </summary>
    public TimeSpan SettleTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Lets the work already started finish without moving the clock: returns once every transport's reader has
    /// come back for its next datagram (or never took one) and nothing has changed for a few scheduler turns.
    /// </summary>
    /// <remarks>
    /// A reader that awaits virtual time before asking for its next datagram never settles while the clock
    /// stands still; such a reader should hand the work off and keep receiving.
    /// </remarks>
    /// <exception cref="TimeoutException">Some reader did not come back within <see cref="SettleTimeout"/>.</exception>
    public async Task SettleAsync(CancellationToken cancellationToken = default)
    {
        long deadline = Stopwatch.GetTimestamp() + (long)(SettleTimeout.TotalSeconds * Stopwatch.Frequency);
        int quietTurns = 0;
        while (quietTurns < QuietTurnsRequired)
        {
            Task idle;
            lock (_gate)
            {
                idle = _processingCount == 0 ? Task.CompletedTask : (_idleSignal ??= new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            if (!idle.IsCompleted)
            {
                quietTurns = 0;
                TimeSpan remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
                try
                {
                    await idle.WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    throw new TimeoutException(
                        $"The virtual network did not settle within {SettleTimeout.TotalSeconds} s: {DescribeBusy()} still processing a datagram. " +
                        "A receive loop must call ReceiveAsync again once it has dealt with a datagram.");
                }
            }

            (long Activity, DateTimeOffset? Due) before = Snapshot();
            await Task.Yield();
            quietTurns = Snapshot() == before && IsIdle() ? quietTurns + 1 : 0;
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException(
                    $"The virtual network kept changing for {SettleTimeout.TotalSeconds} s without settling; is something sending in a loop without awaiting the clock?");
            }
        }
    }

    /// <summary>
    /// Moves the virtual clock forward by <paramref name="duration"/>, one due timer at a time, letting the network
    /// settle before each step and at the end.
    /// </summary>
    /// <exception cref="InvalidOperationException">The network does not run on a <see cref="VirtualTimeProvider"/>.</exception>
    public async Task RunForAsync(TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        VirtualTimeProvider clock = RequireVirtualClock();
        DateTimeOffset end = clock.GetUtcNow() + duration;
        while (await StepAsync(clock, end, cancellationToken).ConfigureAwait(false))
        {
        }

        clock.AdvanceTo(end);
        await SettleAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Moves the virtual clock timer by timer until no datagram is in flight and every reader is idle, or until
    /// <paramref name="limit"/> (default one hour of virtual time) has passed. Timers that are not the network's
    /// (a retransmission waiting to fire, say) do not keep it going once the network is quiet.
    /// </summary>
    /// <returns>True when the network went quiet; false when the limit came first.</returns>
    /// <exception cref="InvalidOperationException">The network does not run on a <see cref="VirtualTimeProvider"/>.</exception>
    public Task<bool> RunUntilIdleAsync(TimeSpan? limit = null, CancellationToken cancellationToken = default) =>
        RunUntilAsync(() => InFlightCount == 0, limit ?? TimeSpan.FromHours(1), cancellationToken);

    /// <summary>
    /// Moves the virtual clock timer by timer, settling before each step, until <paramref name="condition"/> holds
    /// or no timer is due within <paramref name="limit"/>. The condition is checked only while the network is settled.
    /// </summary>
    /// <returns>True when the condition came to hold; false when the limit came first (the clock then stays at the last timer run).</returns>
    /// <exception cref="InvalidOperationException">The network does not run on a <see cref="VirtualTimeProvider"/>.</exception>
    public async Task<bool> RunUntilAsync(Func<bool> condition, TimeSpan limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, TimeSpan.Zero);
        VirtualTimeProvider clock = RequireVirtualClock();
        DateTimeOffset end = clock.GetUtcNow() + limit;
        while (true)
        {
            await SettleAsync(cancellationToken).ConfigureAwait(false);
            if (condition())
            {
                return true;
            }

            if (clock.NextTimerDue is not { } due || due > end)
            {
                return false;
            }

            clock.AdvanceTo(due);
        }
    }

    internal void NoteActivity() => Interlocked.Increment(ref _activity);

    /// <summary>Counts readers working on a datagram; called under the network's lock.</summary>
    internal void OnProcessingChanged(bool processing)
    {
        NoteActivity();
        _processingCount += processing ? 1 : -1;
        if (_processingCount == 0 && _idleSignal is { } signal)
        {
            _idleSignal = null;
            signal.TrySetResult();
        }
    }

    private async Task<bool> StepAsync(VirtualTimeProvider clock, DateTimeOffset end, CancellationToken cancellationToken)
    {
        await SettleAsync(cancellationToken).ConfigureAwait(false);
        if (clock.NextTimerDue is not { } due || due > end)
        {
            return false;
        }

        clock.AdvanceTo(due);
        return true;
    }

    private VirtualTimeProvider RequireVirtualClock() =>
        TimeProvider as VirtualTimeProvider ?? throw new InvalidOperationException(
            "Running the clock needs a network built on a VirtualTimeProvider; on a real clock, just await the work.");

    private (long Activity, DateTimeOffset? Due) Snapshot() =>
        (Interlocked.Read(ref _activity), (TimeProvider as VirtualTimeProvider)?.NextTimerDue);

    private bool IsIdle()
    {
        lock (_gate)
        {
            return _processingCount == 0;
        }
    }

    private string DescribeBusy()
    {
        lock (_gate)
        {
            string[] busy = [.. _transports.Values.Where(t => t.IsProcessingUnlocked).Select(t => t.ToString())];
            return busy.Length == 0 ? "no transport" : string.Join(", ", busy);
        }
    }
}
