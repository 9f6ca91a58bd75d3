using Tern.Lwm2m.Formats.LinkFormat;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Reporting;

/// <summary>
/// Information reporting as a sans-I/O component: observations and notification attributes per server, the
/// evaluation of when a notification goes out, stored notifications while a server is offline, Send, and the
/// time-series cache. The driver tells it what happened (Observe, cancel, values changed, online/offline, time
/// passed via <see cref="Step"/>) and carries out the <see cref="ReportingAction"/>s it takes with
/// <see cref="TryTakeAction"/>, sleeping until <see cref="NextWakeUp"/>. Time is always passed in. Not thread-safe:
/// one driver owns it.
/// </summary>
public sealed partial class Lwm2mReporter
{
    private readonly IReportingDataSource _data;
    private readonly ReportingOptions _options;
    private readonly Dictionary<ushort, ServerState> _servers = [];
    private readonly List<ServerState> _serverList = [];
    private readonly Queue<ReportingAction> _actions = new();
    private long _lastObservationId;
    private long _lastOrder;

    /// <summary>Creates a reporter over the client's data.</summary>
    /// <param name="data">Reads values and resource types.</param>
    /// <param name="options">Bounds and defaults; null takes the defaults.</param>
    /// <param name="cache">A time-series cache (e.g. loaded with <see cref="TimeSeriesCacheFile"/>), or null for an empty one.</param>
    public Lwm2mReporter(IReportingDataSource data, ReportingOptions? options = null, TimeSeriesCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        _data = data;
        _options = options ?? new ReportingOptions();
        _options.Validate();
        Cache = cache ?? new TimeSeriesCache();
    }

    /// <summary>The time-series cache Read, Notify and Send draw on.</summary>
    public TimeSeriesCache Cache { get; }

    /// <summary>How many actions wait to be taken.</summary>
    public int PendingActions => _actions.Count;

    /// <summary>Adds a server account (or replaces its settings, keeping its observations and attributes).</summary>
    /// <param name="settings">The server's reporting resources.</param>
    /// <param name="online">Whether notifications can be sent to it now.</param>
    public void AddServer(ReportingServerSettings settings, bool online = true)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (_servers.ContainsKey(settings.ShortServerId))
        {
            UpdateServer(settings);
            return;
        }

        var state = new ServerState(settings) { Online = online };
        _servers.Add(settings.ShortServerId, state);
        _serverList.Add(state);
    }

    /// <summary>Replaces a server's settings (the server wrote /1/x/2, /1/x/3, /1/x/6 or /1/x/23); observations re-resolve their attributes.</summary>
    /// <param name="settings">The new settings.</param>
    public void UpdateServer(ReportingServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ServerState server = Server(settings.ShortServerId);
        server.Settings = settings;
        server.SettingsVersion++;
    }

    /// <summary>Removes a server account with its observations, attributes and stored messages.</summary>
    /// <param name="shortServerId">The server.</param>
    public bool RemoveServer(ushort shortServerId)
    {
        if (!_servers.Remove(shortServerId, out ServerState? state))
        {
            return false;
        }

        _serverList.Remove(state);
        return true;
    }

    /// <summary>The attributes a server wrote.</summary>
    /// <param name="shortServerId">The server.</param>
    public AttributeStore Attributes(ushort shortServerId) => Server(shortServerId).Attributes;

    /// <summary>The observations a server holds.</summary>
    /// <param name="shortServerId">The server.</param>
    public ObservationTable Observations(ushort shortServerId) => Server(shortServerId).Table;

    /// <summary>Whether a server can be sent to now.</summary>
    /// <param name="shortServerId">The server.</param>
    public bool IsOnline(ushort shortServerId) => Server(shortServerId).Online;

    /// <summary>How many notifications and Sends wait for a server to come back.</summary>
    /// <param name="shortServerId">The server.</param>
    public int StoredCount(ushort shortServerId) => Server(shortServerId).Stored.Count;

    /// <summary>How many stored notifications and Sends were dropped because the store was full (or hqmax was reached).</summary>
    /// <param name="shortServerId">The server.</param>
    public long DroppedStoredCount(ushort shortServerId) => Server(shortServerId).Stored.Dropped;

    /// <summary>A Write-Attributes request from a server (see <see cref="AttributeStore.Write"/>).</summary>
    /// <param name="shortServerId">The server.</param>
    /// <param name="path">The request path.</param>
    /// <param name="query">The Uri-Query options.</param>
    public AttributeWriteResult WriteAttributes(ushort shortServerId, Lwm2mPath path, IEnumerable<string> query) =>
        Server(shortServerId).Attributes.Write(path, query, _data);

    /// <summary>
    /// An Observe (GET with Observe=0) on one path. On success answer 2.05 with <see cref="ObserveResult.Values"/> and
    /// Observe = 0; the observation then starts its pmin/pmax clock at <paramref name="now"/>.
    /// </summary>
    /// <param name="shortServerId">The server that asks.</param>
    /// <param name="path">The observed path (object, instance, resource or resource instance).</param>
    /// <param name="token">The request's token (copied).</param>
    /// <param name="contentFormat">The request's Accept option, or null.</param>
    /// <param name="now">The current time.</param>
    /// <param name="observeAttributes">Attributes the request carried in its query (LwM2M 1.2), applied before the written ones; or null.</param>
    public ObserveResult Observe(ushort shortServerId, Lwm2mPath path, ReadOnlySpan<byte> token, ushort? contentFormat, DateTimeOffset now, Lwm2mAttributes? observeAttributes = null) =>
        StartObservation(shortServerId, [path], composite: false, token, contentFormat, now, observeAttributes);

    /// <summary>An Observe-Composite (FETCH with Observe=0) on several paths; answer as for <see cref="Observe"/>.</summary>
    /// <param name="shortServerId">The server that asks.</param>
    /// <param name="paths">The observed paths, in request order.</param>
    /// <param name="token">The request's token (copied).</param>
    /// <param name="contentFormat">The request's Accept option, or null.</param>
    /// <param name="now">The current time.</param>
    public ObserveResult ObserveComposite(ushort shortServerId, IReadOnlyList<Lwm2mPath> paths, ReadOnlySpan<byte> token, ushort? contentFormat, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
        {
            throw new ArgumentException("An Observe-Composite names at least one path.", nameof(paths));
        }

        return StartObservation(shortServerId, paths, composite: true, token, contentFormat, now, null);
    }

    /// <summary>
    /// Ends the observation with this token: a GET with Observe=1, a Reset in answer to a notification, or a
    /// Cancel-Observe-Composite. Returns false when no observation has the token.
    /// </summary>
    /// <param name="shortServerId">The server.</param>
    /// <param name="token">The observation's token.</param>
    public bool CancelObservation(ushort shortServerId, ReadOnlySpan<byte> token) => Server(shortServerId).Table.Remove(token) is not null;

    /// <summary>
    /// A new registration session with the server started (seed 001): existing observations, stored notifications
    /// and pending Sends are cleared, and the server is online. Written attributes are kept.
    /// </summary>
    /// <param name="shortServerId">The server.</param>
    public void OnRegistrationSessionStarted(ushort shortServerId)
    {
        ServerState server = Server(shortServerId);
        server.Table.Clear();
        server.Stored.Clear();
        server.Online = true;
    }

    /// <summary>
    /// The server became reachable (registered, updated, back from queue mode or suspension) or not (offline,
    /// disabled). Going offline moves the server's actions not yet taken into its store; coming back online queues
    /// the stored notifications and Sends first, in the order they were made.
    /// </summary>
    /// <param name="shortServerId">The server.</param>
    /// <param name="online">True when messages can be sent to it.</param>
    public void SetServerOnline(ushort shortServerId, bool online)
    {
        ServerState server = Server(shortServerId);
        server.Online = online;
        if (online)
        {
            while (server.Stored.TryDequeue(out ReportingAction? stored))
            {
                _actions.Enqueue(stored);
            }

            return;
        }

        // Actions for this server not taken yet wait in the store instead (or are dropped without storing).
        int count = _actions.Count;
        for (int i = 0; i < count; i++)
        {
            ReportingAction action = _actions.Dequeue();
            if (action.ShortServerId != shortServerId)
            {
                _actions.Enqueue(action);
            }
            else if (server.Settings.NotificationStoring)
            {
                server.Stored.Enqueue(MarkStored(action), _options.MaxStoredPerServer, _options.StoredOverflow, null);
            }
        }
    }

    /// <summary>
    /// Puts back a notification or Send the driver could not deliver (the exchange failed) into the server's store,
    /// ahead of everything made after it, and marks the server offline, when the server stores notifications;
    /// otherwise it is dropped. Report several failures in any order: the store keeps the order they were made in.
    /// </summary>
    /// <param name="action">The action taken earlier.</param>
    public void OnDeliveryFailed(ReportingAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (!_servers.TryGetValue(action.ShortServerId, out ServerState? server))
        {
            return;
        }

        server.Online = false;
        if (server.Settings.NotificationStoring)
        {
            server.Stored.Return(MarkStored(action), _options.MaxStoredPerServer);
        }
    }

    /// <summary>The data at <paramref name="path"/> changed (the store calls this; a batch under one lock calls it per path, then one <see cref="Step"/> evaluates them all).</summary>
    /// <param name="path">The changed path (a resource, or a higher level when instances were created or deleted).</param>
    /// <param name="now">When it changed: <see cref="NextWakeUp"/> asks for a step then (or when epmin allows).</param>
    public void OnValueChanged(Lwm2mPath path, DateTimeOffset now)
    {
        foreach (ServerState server in _serverList)
        {
            IReadOnlyList<Observation> items = server.Table.Items;
            for (int i = 0; i < items.Count; i++)
            {
                foreach (ObservedPath observed in items[i].PathStates)
                {
                    if ((observed.Path.Contains(path) || path.Contains(observed.Path)) && !observed.ChangePending)
                    {
                        observed.ChangePending = true;
                        observed.ChangedAt = now;
                    }
                }
            }
        }
    }

    /// <summary>Several paths changed at one time.</summary>
    /// <param name="paths">The changed paths.</param>
    /// <param name="now">When they changed.</param>
    public void OnValuesChanged(IEnumerable<Lwm2mPath> paths, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths is IReadOnlyList<Lwm2mPath> list)
        {
            // Indexed: no boxed enumerator for the array the store hands over on every change.
            for (int i = 0; i < list.Count; i++)
            {
                OnValueChanged(list[i], now);
            }

            return;
        }

        foreach (Lwm2mPath path in paths)
        {
            OnValueChanged(path, now);
        }
    }

    /// <summary>
    /// A value was set on a resource: it is offered to the time-series cache (the validator may refuse it) and
    /// reported as a change. A refused value is not reported as a change.
    /// </summary>
    /// <param name="path">The resource.</param>
    /// <param name="value">The value.</param>
    /// <param name="timestamp">When it was measured (also the change time).</param>
    public TimeSeriesAppendResult RecordValue(Lwm2mPath path, Lwm2mValue value, DateTimeOffset timestamp)
    {
        TimeSeriesAppendResult result = Cache.Append(path, value, timestamp);
        if (result.Status is TimeSeriesAppendStatus.Accepted or TimeSeriesAppendStatus.NotCached or TimeSeriesAppendStatus.UnsupportedType)
        {
            OnValueChanged(path, timestamp);
        }

        return result;
    }

    /// <summary>Takes the next action to carry out, in the order they were made.</summary>
    /// <param name="action">The action.</param>
    public bool TryTakeAction([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ReportingAction? action) => _actions.TryDequeue(out action);

    private ServerState Server(ushort shortServerId) =>
        _servers.TryGetValue(shortServerId, out ServerState? server)
            ? server
            : throw new InvalidOperationException($"No server with short server id {shortServerId}; call {nameof(AddServer)} first.");

    private static ReportingAction MarkStored(ReportingAction action) => action switch
    {
        NotifyAction n when !n.WasStored => n with { WasStored = true },
        SendAction s when !s.WasStored => s with { WasStored = true },
        _ => action,
    };

    private sealed class ServerState(ReportingServerSettings settings)
    {
        public ReportingServerSettings Settings { get; set; } = settings;

        public long SettingsVersion { get; set; }

        public AttributeStore Attributes { get; } = new();

        public ObservationTable Table { get; } = new();

        public StoredQueue Stored { get; } = new();

        public bool Online { get; set; } = true;

        public Dictionary<Lwm2mPath, long> SendCursors { get; } = [];
    }
}
