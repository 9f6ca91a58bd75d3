using Tern.Coap.Engine;

namespace Tern.Coap.Endpoint;

/// <summary>Settings of a <see cref="CoapEndpoint"/>. Values are checked when set.</summary>
public sealed class CoapEndpointOptions
{
    private CoapEngineOptions _engine = CoapEngineOptions.Default;
    private readonly TimeSpan _handlerTimeout = TimeSpan.FromSeconds(30);
    private readonly int _notificationBuffer = 64;

    /// <summary>The exchange engine's settings.</summary>
    public CoapEngineOptions Engine
    {
        get => _engine;
        init => _engine = value ?? throw new ArgumentNullException(nameof(Engine), "Engine options are required; use CoapEngineOptions.Default.");
    }

    /// <summary>Serves incoming requests; without one, every request is answered 4.04 Not Found.</summary>
    public ICoapRequestHandler? Handler { get; init; }

    /// <summary>How long a handler may run before its token is cancelled and 5.03 is sent (default 30 s).</summary>
    public TimeSpan HandlerTimeout
    {
        get => _handlerTimeout;
        init => _handlerTimeout = value > TimeSpan.Zero ? value
            : throw new ArgumentOutOfRangeException(nameof(HandlerTimeout), value, "The handler timeout must be positive.");
    }

    /// <summary>
    /// Notifications kept per observation while the application's callback is busy; when full the oldest is
    /// dropped, since a newer notification supersedes it (default 64).
    /// </summary>
    public int NotificationBuffer
    {
        get => _notificationBuffer;
        init => _notificationBuffer = value >= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(NotificationBuffer), value, "Keep at least one notification.");
    }

    /// <summary>Source of message IDs, tokens and jitter; null for <see cref="Random.Shared"/>. Inject a seeded one in tests.</summary>
    public Random? Random { get; init; }

    /// <summary>
    /// When true, a request handler starts on the receive loop and runs there until its first incomplete await,
    /// saving a thread hop per request; a handler that blocks then delays every other datagram. When false (the
    /// default), each handler starts on the thread pool.
    /// </summary>
    public bool RunHandlersInline { get; init; }

    /// <summary>A copy of these settings with other <see cref="Engine"/> settings, for a host that adjusts an application's settings.</summary>
    /// <param name="engine">The engine settings of the copy.</param>
    public CoapEndpointOptions WithEngine(CoapEngineOptions engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var copy = (CoapEndpointOptions)MemberwiseClone();
        copy._engine = engine;
        return copy;
    }
}
