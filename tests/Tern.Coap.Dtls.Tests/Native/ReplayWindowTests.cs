using Tern.Coap.Dtls.Native;

namespace Tern.Coap.Dtls.Tests.Native;

public sealed class ReplayWindowTests
{
    [Fact]
    public void A_sequence_number_is_fresh_once_and_a_replay_is_refused()
    {
        var window = default(ReplayWindow);
        Assert.True(window.IsFresh(10));
        window.Mark(10);

        Assert.False(window.IsFresh(10));
        Assert.True(window.IsFresh(9));
        Assert.True(window.IsFresh(11));
    }

    [Fact]
    public void Records_older_than_the_window_are_refused_and_reordered_ones_inside_it_accepted_once()
    {
        var window = default(ReplayWindow);
        window.Mark(100);
        window.Mark(200);

        Assert.False(window.IsFresh(200 - ReplayWindow.Size));
        Assert.True(window.IsFresh(200 - ReplayWindow.Size + 1));
        window.Mark(150);
        Assert.False(window.IsFresh(150));
        Assert.True(window.IsFresh(151));
    }

    [Fact]
    public void Random_arrival_orders_accept_each_number_at_most_once_and_never_one_far_behind_the_highest()
    {
        var random = new Random(42);
        for (int run = 0; run < 200; run++)
        {
            var window = default(ReplayWindow);
            var accepted = new HashSet<long>();
            long highest = -1;
            for (int i = 0; i < 300; i++)
            {
                long sequence = random.Next(0, 400);
                bool fresh = window.IsFresh(sequence);
                bool expected = !accepted.Contains(sequence) && (highest < 0 || sequence > highest - ReplayWindow.Size);
                Assert.Equal(expected, fresh);
                if (fresh)
                {
                    window.Mark(sequence);
                    accepted.Add(sequence);
                    highest = Math.Max(highest, sequence);
                }
            }
        }
    }
}
