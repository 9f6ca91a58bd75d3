using Tern.Coap.Timing;
using Tern.Coap.Transport.Virtual;

namespace WaterMeter.Tests;

/// <summary>Moves the virtual clock, one due timer at a time after the network settles, until a task ends.</summary>
internal static class VirtualDrive
{
    /// <summary>True when <paramref name="task"/> completed before <paramref name="limit"/> of virtual time passed.</summary>
    public static async Task<bool> UntilCompletedAsync(VirtualNetwork network, VirtualTimeProvider clock, Task task, TimeSpan limit)
    {
        DateTimeOffset end = clock.GetUtcNow() + limit;
        while (!task.IsCompleted)
        {
            await network.SettleAsync();
            for (int turn = 0; turn < 200 && !task.IsCompleted; turn++)
            {
                // Continuations released by the last datagram need scheduler turns, not time.
                await Task.Yield();
            }

            if (task.IsCompleted)
            {
                break;
            }

            if (clock.NextTimerDue is not { } due || due > end)
            {
                return false;
            }

            clock.AdvanceTo(due);
        }

        return true;
    }
}
