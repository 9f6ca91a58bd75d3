using System.Threading.Channels;

namespace Tern.Lwm2m.Server.Rest.Events;

/// <summary>One server-sent event: its name (e.g. <c>registration</c>) and its JSON data.</summary>
/// <param name="Name">The SSE event name.</param>
/// <param name="Data">The event's data, a single line of JSON.</param>
public readonly record struct ServerEvent(string Name, string Data);

/// <summary>
/// Fans server events out to every open SSE stream. Each subscriber has its own bounded queue;
/// a subscriber that falls behind loses its oldest events rather than slowing the server or the others.
/// </summary>
public sealed class ServerEventHub
{
    /// <summary>How many events one subscriber may have waiting before the oldest are dropped.</summary>
    public const int SubscriberCapacity = 1024;

    private readonly Lock _gate = new();
    private readonly List<Channel<ServerEvent>> _subscribers = [];

    /// <summary>The number of open subscriptions.</summary>
    public int SubscriberCount
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>Queues <paramref name="serverEvent"/> for every current subscriber; never blocks.</summary>
    public void Publish(ServerEvent serverEvent)
    {
        lock (_gate)
        {
            foreach (Channel<ServerEvent> subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(serverEvent);
            }
        }
    }

    /// <summary>Opens a subscription; dispose it to stop receiving.</summary>
    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<ServerEvent>(new BoundedChannelOptions(SubscriberCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_gate)
        {
            _subscribers.Add(channel);
        }
        return new Subscription(this, channel);
    }

    private void Remove(Channel<ServerEvent> channel)
    {
        lock (_gate)
        {
            _subscribers.Remove(channel);
        }
        channel.Writer.TryComplete();
    }

    /// <summary>One subscriber's view of the hub.</summary>
    public sealed class Subscription : IDisposable
    {
        private readonly ServerEventHub _hub;
        private readonly Channel<ServerEvent> _channel;

        internal Subscription(ServerEventHub hub, Channel<ServerEvent> channel)
        {
            _hub = hub;
            _channel = channel;
        }

        /// <summary>The events published since the subscription opened, in order.</summary>
        public ChannelReader<ServerEvent> Events => _channel.Reader;

        /// <inheritdoc />
        public void Dispose() => _hub.Remove(_channel);
    }
}
