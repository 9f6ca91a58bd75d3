using Tern.Lwm2m.Server.Rest.Events;

namespace Tern.Lwm2m.Server.Rest.Tests.Events;

public class ServerEventHubTests
{
    [Fact]
    public void Every_subscriber_sees_every_event_in_order()
    {
        var hub = new ServerEventHub();
        using var first = hub.Subscribe();
        using var second = hub.Subscribe();

        hub.Publish(new ServerEvent("registration", "1"));
        hub.Publish(new ServerEvent("update", "2"));

        foreach (var subscription in new[] { first, second })
        {
            Assert.True(subscription.Events.TryRead(out ServerEvent a));
            Assert.True(subscription.Events.TryRead(out ServerEvent b));
            Assert.Equal(("registration", "update"), (a.Name, b.Name));
        }
    }

    [Fact]
    public void A_slow_subscriber_keeps_the_newest_events_and_does_not_block_publishing()
    {
        var hub = new ServerEventHub();
        using var slow = hub.Subscribe();

        for (int i = 0; i < ServerEventHub.SubscriberCapacity + 10; i++)
        {
            hub.Publish(new ServerEvent("notification", i.ToString()));
        }

        Assert.True(slow.Events.TryRead(out ServerEvent oldest));
        Assert.Equal("10", oldest.Data);
    }

    [Fact]
    public void Disposed_subscriptions_stop_receiving_and_complete()
    {
        var hub = new ServerEventHub();
        var subscription = hub.Subscribe();

        subscription.Dispose();
        hub.Publish(new ServerEvent("registration", "1"));

        Assert.Equal(0, hub.SubscriberCount);
        Assert.False(subscription.Events.TryRead(out _));
        Assert.True(subscription.Events.Completion.IsCompleted);
    }
}
