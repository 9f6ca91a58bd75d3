using System.Buffers;
using Microsoft.Extensions.Logging;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Transport;
using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Client.Reporting;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Formats.LinkFormat;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client;

// The reporting layer wired into the running client: Observe, Write-Attributes and Send go through the sans-I/O
// Lwm2mReporter, which is guarded by one lock (handlers run on the endpoint's threads, the loop on its own).
// Observations live in the reporter only, not in the endpoint's observer registry: an LwM2M observation outlives a
// lost notification (it is stored and sent after reconnecting), so notifications go out through
// CoapEndpoint.SendNotificationAsync with the reporter's token and Observe sequence; an RST to one cancels it.
public sealed partial class Lwm2mClient
{
    private readonly object _reportingGate = new();
    private readonly Dictionary<(ushort Ssid, ulong Token, int Length), CoapPeer> _observers = [];
    private Lwm2mReporter? _reporter;
    private TimeSeriesCacheFile? _cacheFile;

    /// <summary>The reporting layer (observations, attributes, stored notifications, Send); null without a data model.</summary>
    public Lwm2mReporter? Reporter => _reporter;

    /// <summary>
    /// Asks the reporter to Send <paramref name="paths"/> to a server (POST /dp). The answer says whether the Send
    /// was queued, stored for later (server offline), refused (Mute Send, /1/x/23) or named nothing present.
    /// </summary>
    /// <param name="paths">The resources to send.</param>
    /// <param name="shortServerId">The server; the first configured one when null.</param>
    public Task<SendResult> SendAsync(IReadOnlyList<Lwm2mPath> paths, ushort? shortServerId = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (_reporter is null)
        {
            throw new InvalidOperationException("Send needs a client built over a data model (Lwm2mObjectStore).");
        }

        IReadOnlyList<Lwm2mServerInstance> servers = _engine.Configuration.Servers;
        ushort ssid = shortServerId ?? (servers.Count > 0 ? servers[0].ShortServerId : (ushort?)null)
            ?? throw new InvalidOperationException("No LwM2M server is configured.");
        SendResult result;
        lock (_reportingGate)
        {
            result = _reporter.RequestSend(ssid, paths, _time.GetUtcNow());
        }

        TryPost(static () => { });
        return Task.FromResult(result);
    }

    private void AttachReporting(Lwm2mObjectStore store, string? stateDirectory, ReportingOptions? options)
    {
        TimeSeriesCache? cache = null;
        if (stateDirectory is not null)
        {
            _cacheFile = new TimeSeriesCacheFile(stateDirectory);
            TimeSeriesLoadResult loaded = _cacheFile.Load();
            cache = loaded.Cache;
            if (loaded.Status == TimeSeriesLoadStatus.Corrupted)
            {
                _events.Writer.TryWrite(new Lwm2mStateCorrupted(_time.GetUtcNow(), loaded.Error ?? "the time-series cache is corrupted"));
            }
        }

        _reporter = new Lwm2mReporter(new ObjectStoreReportingSource(store), options, cache);
        foreach (Lwm2mServerInstance server in _engine.Configuration.Servers)
        {
            _reporter.AddServer(ReportingServerSettings.FromServerInstance(server, MuteSend(store, server.InstanceId)), online: false);
        }

        _dispatcher!.AttributeSource = ReportedAttributes;
        store.ValuesChanged += OnReportedValuesChanged;
        store.InstancesChanged += OnReportedInstancesChanged;
    }

    private Lwm2mAttributes? ReportedAttributes(int ssid, Lwm2mPath path)
    {
        lock (_reportingGate)
        {
            return ssid is > 0 and <= ushort.MaxValue && IsKnownToReporter((ushort)ssid) ? _reporter!.Attributes((ushort)ssid).Get(path) : null;
        }
    }

    private static bool MuteSend(Lwm2mObjectStore store, int serverInstance) =>
        store.TryGetValue(Lwm2mPath.Parse($"/1/{serverInstance}/23"), out Lwm2mValue value) && value.Type == Lwm2mResourceType.Boolean && value.AsBoolean();

    private void DetachReporting()
    {
        if (_store is null || _reporter is null)
        {
            return;
        }

        _store.ValuesChanged -= OnReportedValuesChanged;
        _store.InstancesChanged -= OnReportedInstancesChanged;
        if (_cacheFile is not null)
        {
            try
            {
                lock (_reportingGate)
                {
                    _cacheFile.Save(_reporter.Cache);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Closing must not fail because the state directory cannot be written; the loss is logged.
                LogStateSaveFailed(_cacheFile.FilePath, e.Message);
            }
        }
    }

    private void OnReportedValuesChanged(object? sender, Lwm2mValuesChangedEventArgs e)
    {
        DateTimeOffset now = _time.GetUtcNow();
        lock (_reportingGate)
        {
            if (_reporter!.Cache.IsEmpty)
            {
                _reporter.OnValuesChanged(e.Paths, now);
            }
            else
            {
                // A value set on a cached resource enters the time series (the cache's validator may refuse it).
                foreach (Lwm2mPath path in e.Paths)
                {
                    if (_reporter.Cache.TryGetSettings(path, out _, out _) && _store!.TryGetValue(path, out Lwm2mValue value))
                    {
                        _reporter.RecordValue(path, value, now);
                    }
                    else
                    {
                        _reporter.OnValuesChanged([path], now);
                    }
                }
            }

            if (TouchesServerSettings(e.Paths))
            {
                foreach (int instance in e.Paths.Where(p => p.ObjectId == 1 && p.ResourceId is 2 or 3 or 6 or 23).Select(p => p.InstanceId!.Value).Distinct())
                {
                    if (_store!.ReadConfiguration().Servers.FirstOrDefault(s => s.InstanceId == instance) is { } server)
                    {
                        _reporter.AddServer(ReportingServerSettings.FromServerInstance(server, MuteSend(_store, instance)), online: false);
                    }
                }
            }
        }

        TryPost(static () => { });
    }

    private void OnReportedInstancesChanged(object? sender, Lwm2mInstancesChangedEventArgs e)
    {
        if (e.Deleted.Count == 0)
        {
            return;
        }

        lock (_reportingGate)
        {
            // An observed instance that is gone is reported once more (as not found) and the reporter ends it.
            _reporter!.OnValuesChanged(e.Deleted, _time.GetUtcNow());
        }

        TryPost(static () => { });
    }

    /// <summary>Observe (GET/FETCH with Observe=0 or 1) and Write-Attributes go to the reporter; null leaves the request to the dispatcher.</summary>
    private CoapResponse? HandleReporting(CoapRequestContext context, ushort ssid)
    {
        CoapMessage request = context.Request;
        if (_reporter is null || ssid == 0)
        {
            return null;
        }

        bool isQuery = request.Code == CoapCode.Put && request.ContentFormat is null && request.HasOption(CoapOptionNumber.UriQuery);
        uint? observe = request.Observe;
        bool isObserve = (request.Code == CoapCode.Get || request.Code == CoapCode.Fetch) && observe is 0 or 1
            && request.GetUIntOption(CoapOptionNumber.Accept) != Lwm2mContentFormat.LinkFormat;
        if (!isQuery && !isObserve)
        {
            return null;
        }

        string text = "/" + string.Join('/', request.GetOptions(CoapOptionNumber.UriPath).Select(o => o.GetString()).Where(s => s.Length > 0));
        if (!Lwm2mPath.TryParse(text, out Lwm2mPath path))
        {
            return null;
        }

        if (isQuery)
        {
            if (_dispatcher!.CheckAccess(request, ssid) is { } denied)
            {
                return denied;
            }

            AttributeWriteResult written;
            lock (_reportingGate)
            {
                written = _reporter.WriteAttributes(ssid, path, request.GetOptions(CoapOptionNumber.UriQuery).Select(o => o.GetString()).ToList());
            }

            TryPost(static () => { });
            return CoapResponse.Text(ParseCode(written.CoapCode), written.Error ?? string.Empty);
        }

        CoapResponse read = _dispatcher!.Handle(request, ssid, isBootstrapServer: false);
        (ushort, ulong, int) key = ObserverKey(ssid, request.Token.Span);
        if (observe == 1 || !read.IsSuccess)
        {
            lock (_reportingGate)
            {
                _reporter.CancelObservation(ssid, request.Token.Span);
                _observers.Remove(key);
            }

            return read;
        }

        List<Lwm2mPath> paths = request.Code == CoapCode.Fetch ? CompositePaths(request) : [path];
        if (paths.Count == 0)
        {
            return read;
        }

        ObserveResult result;
        lock (_reportingGate)
        {
            DateTimeOffset now = _time.GetUtcNow();
            result = request.Code == CoapCode.Fetch
                ? _reporter.ObserveComposite(ssid, paths, request.Token.Span, read.ContentFormat, now)
                : _reporter.Observe(ssid, path, request.Token.Span, read.ContentFormat, now);
            if (result.Status == ObserveStatus.Observing)
            {
                _observers[key] = context.Peer;
                context.KeepObserveOption();
                read.Message.Observe = result.Observation!.Sequence;
            }
        }

        TryPost(static () => { });
        return result.Status == ObserveStatus.Observing ? read : CoapResponse.Text(ParseCode(result.CoapCode), result.Error ?? string.Empty);
    }

    private List<Lwm2mPath> CompositePaths(CoapMessage request)
    {
        if (request.ContentFormat is not { } format || !Lwm2mContentFormatRegistry.Default.TryGet(format, out ILwm2mContentCodec? codec))
        {
            return [];
        }

        var paths = new List<Lwm2mPath>();
        Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> decoded = codec.DecodeRecords(request.Payload.Span, _store!.Definitions);
        if (decoded.Error is null && decoded.Value is { } records)
        {
            paths.AddRange(records.Select(r => r.Path).Distinct());
        }

        return paths;
    }

    /// <summary>A CoAP token is at most 8 bytes: packed into a number, it keys the observer table without allocating.</summary>
    private static (ushort, ulong, int) ObserverKey(ushort ssid, ReadOnlySpan<byte> token)
    {
        ulong bits = 0;
        for (int i = 0; i < token.Length && i < 8; i++)
        {
            bits = (bits << 8) | token[i];
        }

        return (ssid, bits, token.Length);
    }

    private static bool TouchesServerSettings(IReadOnlyList<Lwm2mPath> paths)
    {
        for (int i = 0; i < paths.Count; i++)
        {
            if (paths[i].ObjectId == 1)
            {
                return true;
            }
        }

        return false;
    }

    private static CoapCode ParseCode(string code) => new(code[0] - '0', int.Parse(code.AsSpan(2), System.Globalization.CultureInfo.InvariantCulture));
}
