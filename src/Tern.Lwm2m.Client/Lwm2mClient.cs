using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Transport;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Engine;

namespace Tern.Lwm2m.Client;

/// <summary>
/// Runs a <see cref="Lwm2mClientEngine"/> over a <see cref="CoapEndpoint"/>: one loop owns the engine, applies the
/// application's queued requests and exchange outcomes in order, sends what the engine asks for and sleeps until
/// <see cref="Lwm2mClientEngine.NextWakeUp"/> on the given <see cref="TimeProvider"/>.
/// </summary>
public sealed partial class Lwm2mClient : IAsyncDisposable
{
    private readonly Lwm2mClientEngine _engine;
    private readonly CoapEndpoint _endpoint;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<string, CancellationToken, ValueTask<CoapPeer>> _resolve;
    private readonly Channel<Action> _inbox = Channel.CreateUnbounded<Action>();
    private readonly Channel<Lwm2mClientEvent> _events;
    private readonly CancellationTokenSource _shutdown = new();
    private Task? _loop;
    private volatile bool _waiting;
    private int _starting;
    private volatile Lwm2mClientState _state;
    private volatile Lwm2mClientConfiguration? _configuration;
    private TaskCompletionSource? _stopWaiter;
    private StopInProgress? _stopping;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Task, byte> _inFlight = new();

    /// <summary>
    /// Creates a client; nothing is sent until <see cref="StartAsync"/>. With <see cref="Lwm2mClientOptions.StateDirectory"/>
    /// set, a configuration saved there after an earlier bootstrap takes the place of <paramref name="configuration"/>; a
    /// damaged state file is not used: the client starts from <paramref name="configuration"/> and reports
    /// <see cref="Lwm2mStateCorrupted"/> as its first event.
    /// </summary>
    /// <param name="configuration">The Security and Server instances (the factory bootstrap).</param>
    /// <param name="options">Endpoint name, versions, objects and timing.</param>
    /// <param name="endpoint">The CoAP endpoint requests go out through (the client does not own it).</param>
    /// <param name="time">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="loggers">Logging; none when null.</param>
    /// <param name="resolvePeer">Maps a server URI to a peer; by default IP literals are used as they are and names go through DNS.</param>
    /// <param name="eventCapacity">How many unread events are kept; the oldest are dropped beyond it.</param>
    public Lwm2mClient(Lwm2mClientConfiguration configuration, Lwm2mClientOptions options, CoapEndpoint endpoint,
        TimeProvider? time = null, ILoggerFactory? loggers = null, Func<string, CancellationToken, ValueTask<CoapPeer>>? resolvePeer = null,
        int eventCapacity = 1024)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentOutOfRangeException.ThrowIfLessThan(eventCapacity, 1);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        loggers ??= NullLoggerFactory.Instance;
        var (effective, store, corruption) = LoadState(configuration, options);
        _engine = new Lwm2mClientEngine(effective, options, loggers.CreateLogger<Lwm2mClientEngine>());
        _stateStore = store;
        _endpoint = endpoint;
        _time = time ?? TimeProvider.System;
        _logger = loggers.CreateLogger<Lwm2mClient>();
        _resolve = resolvePeer ?? ResolveAsync;
        _events = Channel.CreateBounded<Lwm2mClientEvent>(new BoundedChannelOptions(eventCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = true });
        if (corruption is not null)
        {
            LogStateCorrupted(corruption);
            _events.Writer.TryWrite(new Lwm2mStateCorrupted(_time.GetUtcNow(), corruption));
        }
    }

    /// <summary>The configuration in use (the factory one, the saved one, or what the bootstrap server provided), as of the loop's last step.</summary>
    public Lwm2mClientConfiguration Configuration => _configuration ?? _engine.Configuration;

    /// <summary>
    /// The lifecycle state as of the loop's last step: Initial, Bootstrap, Suspended or Failure for the client as a whole,
    /// else the primary (first) server's session state; see <see cref="GetServerState"/> for each server's own.
    /// </summary>
    public Lwm2mClientState State => _state;

    /// <summary>The typed event stream (state changes, registration, updates, errors...).</summary>
    public ChannelReader<Lwm2mClientEvent> Events => _events.Reader;

    /// <summary>
    /// True while the loop sleeps with nothing queued (for settling a virtual network). Exchanges that wait for a
    /// response or a retransmission timer do not count as work: their outcome arrives as a queued message.
    /// </summary>
    /// <remarks>
    /// A <see cref="StopAsync"/> whose outcome is in counts as work until it has returned: the rest of it (ending the
    /// loop) runs on a pool thread after the loop has gone back to sleep.
    /// </remarks>
    public bool IsIdle => !StopIsFinishing && (_loop is null || _loop.IsCompleted || (_waiting && _inbox.Reader.Count == 0 && Volatile.Read(ref _starting) == 0 && !_inFlight.Keys.Any(t => t.IsCompleted)));

    private bool StopIsFinishing => Volatile.Read(ref _stopping) is { } stop && stop.Outcome.Task.IsCompleted && stop.Call is not { IsCompleted: true };

    /// <summary>Starts the loop and the lifecycle (Initial → Registration ...).</summary>
    /// <param name="cancellationToken">Unused beyond argument checking; the loop runs until stopped or disposed.</param>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_loop is not null)
        {
            throw new InvalidOperationException("The client is already started; use RestartAsync to start the lifecycle over.");
        }

        _engine.Start();
        _loop = Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops: deregisters first when <paramref name="deregister"/> (waiting for the outcome), else closes at once; then ends the loop.</summary>
    /// <param name="deregister">False stops without telling the server.</param>
    /// <param name="cancellationToken">Gives up waiting for the Deregister outcome.</param>
    public Task StopAsync(bool deregister = true, CancellationToken cancellationToken = default)
    {
        if (_loop is null)
        {
            return Task.CompletedTask;
        }

        // Published before the loop can complete the outcome, so IsIdle never sees an outcome in and no call to wait for.
        var stop = new StopInProgress();
        Volatile.Write(ref _stopping, stop);
        Task call = StopCoreAsync(stop.Outcome, deregister, _loop, cancellationToken);
        stop.Call = call;
        return call;
    }

    private async Task StopCoreAsync(TaskCompletionSource stopped, bool deregister, Task loop, CancellationToken cancellationToken)
    {
        await Post(() => _engine.Stop(deregister)).ConfigureAwait(false);
        await Post(() => _stopWaiter = stopped).ConfigureAwait(false);
        await stopped.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        await _shutdown.CancelAsync().ConfigureAwait(false);
        await loop.ConfigureAwait(false);
    }

    /// <summary>Forces the lifecycle back to Initial (after a Deregister when registered); the way out of Failure.</summary>
    public ValueTask RestartAsync() => Post(_engine.Restart);

    /// <summary>Suspends the client; calling again replaces the timeout.</summary>
    /// <param name="duration">How long, or null for indefinitely (until <see cref="RestartAsync"/>).</param>
    public ValueTask DisableServerAsync(TimeSpan? duration)
    {
        if (duration < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), "The disable duration must not be negative; pass null to disable indefinitely.");
        }

        return Post(() => _engine.DisableServer(duration));
    }

    /// <summary>Suspends one server's session (deregistering it first); the other servers go on.</summary>
    /// <param name="shortServerId">The server.</param>
    /// <param name="duration">How long, or null for indefinitely (until <see cref="RestartAsync"/>).</param>
    public ValueTask DisableServerAsync(ushort shortServerId, TimeSpan? duration)
    {
        if (duration < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), "The disable duration must not be negative; pass null to disable indefinitely.");
        }

        return Post(() => _engine.DisableServer(shortServerId, duration));
    }

    /// <summary>Asks one server for an Update as soon as the 15-second flood guard allows.</summary>
    /// <param name="shortServerId">The server.</param>
    public ValueTask TriggerUpdateAsync(ushort shortServerId) => Post(() => _engine.TriggerUpdate(shortServerId));

    /// <summary>Pauses the engine: nothing is sent until <see cref="ResumeAsync"/> (see <see cref="Lwm2mClientEngine.Pause"/>).</summary>
    public ValueTask PauseAsync() => Post(_engine.Pause);

    /// <summary>Resumes a paused engine: Update at once, or Register again when the lifetime ran out meanwhile.</summary>
    public ValueTask ResumeAsync() => Post(_engine.Resume);

    /// <summary>Asks every registered server for an Update as soon as the 15-second flood guard allows.</summary>
    public ValueTask TriggerUpdateAsync() => Post(_engine.TriggerUpdate);

    /// <summary>Replaces the advertised objects; a change sends an Update with the new links.</summary>
    /// <param name="objects">The objects and instances that now exist.</param>
    public ValueTask SetObjectsAsync(IReadOnlyList<Lwm2mObjectAdvert> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        return Post(() => _engine.SetObjects(objects));
    }

    /// <summary>
    /// Adds an application-side event (e.g. a <see cref="Firmware.FirmwareUpdate"/>'s, through
    /// <see cref="Firmware.FirmwareUpdateOptions.Events"/>) to <see cref="Events"/>, in order with the client's own: the
    /// loop writes it at its next step. Ignored once the client is disposed.
    /// </summary>
    /// <param name="clientEvent">The event.</param>
    public void ReportEvent(Lwm2mClientEvent clientEvent)
    {
        ArgumentNullException.ThrowIfNull(clientEvent);
        _inbox.Writer.TryWrite(() => _events.Writer.TryWrite(clientEvent));
    }

    /// <summary>Whether an exchange in progress reads <paramref name="path"/> (see <see cref="Lwm2mClientEngine.IsOperationOngoing"/>).</summary>
    /// <param name="path">The path the application wants to modify.</param>
    public async Task<bool> IsOperationOngoingAsync(Tern.Lwm2m.Model.Lwm2mPath path)
    {
        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await Post(() => answer.SetResult(_engine.IsOperationOngoing(path))).ConfigureAwait(false);
        return await answer.Task.ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        DetachDataModel();
        _inbox.Writer.TryComplete();
        await _shutdown.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _shutdown.Dispose();
        _events.Writer.TryComplete();
    }

    private ValueTask Post(Action action)
    {
        ObjectDisposedException.ThrowIf(!_inbox.Writer.TryWrite(action), this);
        return ValueTask.CompletedTask;
    }

    private static async ValueTask<CoapPeer> ResolveAsync(string serverUri, CancellationToken cancellationToken) =>
        new(await CoapUris.ResolveAsync(new Uri(serverUri), cancellationToken).ConfigureAwait(false));

    /// <summary>One call to <see cref="StopAsync"/>: the outcome the loop completes, and the call that ends the loop after it.</summary>
    private sealed class StopInProgress
    {
        public TaskCompletionSource Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task? Call
        {
            get => Volatile.Read(ref _call);
            set => Volatile.Write(ref _call, value);
        }

        private Task? _call;
    }
}
