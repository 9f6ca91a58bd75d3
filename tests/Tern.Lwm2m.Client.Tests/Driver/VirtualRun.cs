using Tern.Coap.Timing;
using Tern.Coap.Transport.Virtual;

namespace Tern.Lwm2m.Client.Tests.Driver;

/// <summary>The stepping loop the end-to-end fixtures share: settle, give released continuations turns, check, step the clock.</summary>
internal static class VirtualRun
{
    /// <summary>Runs until <paramref name="condition"/> holds or no timer falls due before <paramref name="limit"/>.</summary>
    /// <param name="afterSettle">Called after each settling, before the condition is checked (e.g. to drain events).</param>
    public static async Task<bool> UntilAsync(VirtualNetwork network, VirtualTimeProvider clock, Func<bool> condition, TimeSpan limit, Action afterSettle)
    {
        DateTimeOffset end = clock.GetUtcNow() + limit;
        while (true)
        {
            await network.SettleAsync();
            for (int turn = 0; turn < 1000 && !condition(); turn++)
            {
                // Continuations released by the last datagram still need scheduler turns (not real time) to run.
                await Task.Yield();
            }

            afterSettle();
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
}
