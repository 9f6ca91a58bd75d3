using System.Buffers;
using System.Net;
using System.Text;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Timing;
using Tern.Coap.Transport;
using Tern.Coap.Transport.Udp;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Server.Rest.Tests.Fakes;

/// <summary>
/// A minimal LwM2M client on a raw CoAP endpoint over loopback UDP: it registers with plain CoAP and answers
/// Read, Write and Execute on single resources it holds. One resource, <see cref="SilentPath"/>, never answers.
/// </summary>
internal sealed class FakeLwm2mClient : ICoapRequestHandler, IAsyncDisposable
{
    /// <summary>A resource whose requests are never answered (to provoke timeouts).</summary>
    public static readonly Lwm2mPath SilentPath = new(3, 0, 15);

    private static readonly ObjectDefinitionRegistry Model = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<Lwm2mPath, Lwm2mValue> _values = new()
    {
        [new Lwm2mPath(3, 0, 0)] = Lwm2mValue.FromString("Tern"),
        [new Lwm2mPath(3, 0, 9)] = Lwm2mValue.FromInteger(100),
        [new Lwm2mPath(1, 0, 1)] = Lwm2mValue.FromInteger(300),
    };

    private readonly List<(Lwm2mPath Path, string Arguments)> _executions = [];
    private readonly List<string> _log = [];
    private readonly Dictionary<Lwm2mPath, (CoapObserver Observer, ushort Format)> _observers = [];
    private readonly List<(CoapObserver Observer, CoapMessage Request)> _compositeObservers = [];
    private readonly List<string> _journal = [];
    private CoapEndpoint? _endpoint;
    private string? _location;

    /// <summary>Completes when a request for <see cref="SilentPath"/> arrived.</summary>
    public TaskCompletionSource SilentRequestArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The executions received, in order.</summary>
    public IReadOnlyList<(Lwm2mPath Path, string Arguments)> Executions
    {
        get
        {
            lock (_gate)
            {
                return [.. _executions];
            }
        }
    }

    /// <summary>Create, Delete and Write-Attributes requests received, e.g. <c>DELETE /3303/1</c>.</summary>
    public IReadOnlyList<string> Log
    {
        get
        {
            lock (_gate)
            {
                return [.. _log];
            }
        }
    }

    /// <summary>The value the client holds at <paramref name="path"/>, if any.</summary>
    public Lwm2mValue? ValueAt(Lwm2mPath path)
    {
        lock (_gate)
        {
            return _values.TryGetValue(path, out Lwm2mValue value) ? value : null;
        }
    }

    public static async Task<FakeLwm2mClient> StartAsync()
    {
        var client = new FakeLwm2mClient();
        UdpCoapTransport transport = await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0));
        // A clock nobody advances: the client's own handler timeout never fires, so the silent resource stays silent.
        client._endpoint = await CoapEndpoint.StartAsync(transport, new CoapEndpointOptions { Handler = client }, new VirtualTimeProvider());
        return client;
    }

    /// <summary>In order: the requests this client received (<c>GET /3/0/9</c>) and the Updates it sent (<c>UPDATE</c>).</summary>
    public IReadOnlyList<string> Journal
    {
        get
        {
            lock (_gate)
            {
                return [.. _journal];
            }
        }
    }

    /// <summary>
    /// Registers as <paramref name="endpoint"/> (LwM2M 1.1, UDP binding, with <c>Q</c> when <paramref name="queueMode"/>)
    /// and returns the CoAP answer code.
    /// </summary>
    public async Task<CoapCode> RegisterAsync(IPEndPoint server, string endpoint, bool queueMode = false)
    {
        var request = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Post };
        request.SetUriPath("/rd");
        foreach (string query in new[] { $"ep={endpoint}", "lt=300", "lwm2m=1.1", "b=U" }.Concat(queueMode ? ["Q"] : []))
        {
            request.AddOption(CoapOption.FromString(CoapOptionNumber.UriQuery, query));
        }
        request.ContentFormat = Lwm2mContentFormat.LinkFormat;
        request.Payload = Encoding.UTF8.GetBytes("</1/0>,</3/0>");
        CoapResponse response = await _endpoint!.SendAsync(new CoapPeer(server), request);
        _location = "/" + string.Join('/', response.Message.GetOptions(CoapOptionNumber.LocationPath).Select(o => o.GetString()));
        return response.Code;
    }

    /// <summary>Sends a registration Update (POST to the location the Register answer gave) and returns the CoAP answer code.</summary>
    public async Task<CoapCode> UpdateAsync(IPEndPoint server)
    {
        var request = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Post };
        request.SetUriPath(_location ?? throw new InvalidOperationException("Register first."));
        lock (_gate)
        {
            _journal.Add("UPDATE");
        }
        return (await _endpoint!.SendAsync(new CoapPeer(server), request)).Code;
    }

    public async ValueTask<CoapResponse?> HandleAsync(CoapRequestContext request, CancellationToken cancellationToken)
    {
        if (!Lwm2mPath.TryParse(request.Request.UriPath, out Lwm2mPath path))
        {
            return new CoapResponse(CoapCode.BadRequest);
        }
        lock (_gate)
        {
            _journal.Add($"{Method(request.Request.Code)} {path}");
        }
        if (path == SilentPath)
        {
            SilentRequestArrived.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        CoapCode method = request.Request.Code;
        if (method == CoapCode.Get && request.IsObserveRegistration)
        {
            ushort accept = (ushort?)request.Request.GetUIntOption(CoapOptionNumber.Accept) ?? Lwm2mContentFormat.SenmlCbor;
            CoapResponse first = Read(path, accept);
            if (first.IsSuccess && request.AcceptObservation() is { } observer)
            {
                lock (_gate)
                {
                    _observers[path] = (observer, accept);
                }
            }
            return first;
        }
        if (method == CoapCode.Get && request.Request.GetUIntOption(CoapOptionNumber.Accept) == Lwm2mContentFormat.LinkFormat)
        {
            var links = new CoapResponse(CoapCode.Content, Encoding.UTF8.GetBytes("</3/0>,</3/0/0>,</3/0/9>;pmax=60"));
            links.Message.ContentFormat = Lwm2mContentFormat.LinkFormat;
            return links;
        }
        if (method == CoapCode.Delete)
        {
            AddLog($"DELETE {path}");
            return new CoapResponse(CoapCode.Deleted);
        }
        if (method == CoapCode.Put && request.Request.Payload.IsEmpty && request.Request.UriQueries.Any())
        {
            AddLog($"ATTRIBUTES {path}?{string.Join('&', request.Request.UriQueries)}");
            return new CoapResponse(CoapCode.Changed);
        }
        if (method == CoapCode.Post && path.Level is Lwm2mPathLevel.Object or Lwm2mPathLevel.ObjectInstance)
        {
            return CreateOrUpdate(path, request.Request);
        }
        if (method == CoapCode.Get)
        {
            return Read(path, (ushort?)request.Request.GetUIntOption(CoapOptionNumber.Accept) ?? Lwm2mContentFormat.SenmlCbor);
        }
        if (method == CoapCode.Fetch && request.IsObserveRegistration)
        {
            CoapResponse first = Composite(read: true, request.Request);
            if (first.IsSuccess && request.AcceptObservation() is { } observer)
            {
                lock (_gate)
                {
                    _compositeObservers.Add((observer, request.Request));
                }
            }
            return first;
        }
        if (method == CoapCode.Fetch || method == CoapCode.IPatch)
        {
            return Composite(method == CoapCode.Fetch, request.Request);
        }
        if (method == CoapCode.Put)
        {
            return Write(path, request.Request.ContentFormat, request.Request.Payload);
        }
        if (method == CoapCode.Post && path.Level == Lwm2mPathLevel.Resource)
        {
            lock (_gate)
            {
                _executions.Add((path, Encoding.UTF8.GetString(request.Request.Payload.Span)));
            }
            return new CoapResponse(CoapCode.Changed);
        }
        return new CoapResponse(CoapCode.MethodNotAllowed);
    }

    /// <summary>True while the server observes <paramref name="path"/>.</summary>
    public bool IsObserved(Lwm2mPath path)
    {
        lock (_gate)
        {
            return _observers.TryGetValue(path, out var entry) && entry.Observer.IsActive;
        }
    }

    /// <summary>Changes the value at <paramref name="path"/> and notifies the observer of it (confirmable, so it is acknowledged).</summary>
    public async Task NotifyAsync(Lwm2mPath path, Lwm2mValue value)
    {
        (CoapObserver Observer, ushort Format) entry;
        lock (_gate)
        {
            _values[path] = value;
            entry = _observers[path];
        }
        await entry.Observer.NotifyAsync(Read(path, entry.Format), confirmable: true);
    }

    /// <summary>The number of composite observations the server keeps running on this client.</summary>
    public int CompositeObservationCount
    {
        get
        {
            lock (_gate)
            {
                return _compositeObservers.Count(o => o.Observer.IsActive);
            }
        }
    }

    /// <summary>Changes the value at <paramref name="path"/> and notifies every composite observer (confirmable) with its records.</summary>
    public async Task NotifyCompositeAsync(Lwm2mPath path, Lwm2mValue value)
    {
        List<(CoapObserver Observer, CoapMessage Request)> observers;
        lock (_gate)
        {
            _values[path] = value;
            observers = [.. _compositeObservers.Where(o => o.Observer.IsActive)];
        }
        foreach ((CoapObserver observer, CoapMessage registration) in observers)
        {
            await observer.NotifyAsync(Composite(read: true, registration), confirmable: true);
        }
    }

    /// <summary>Sends <paramref name="records"/> to the server with LwM2M Send (POST /dp, SenML JSON).</summary>
    public async Task<CoapCode> SendAsync(IPEndPoint server, IReadOnlyList<Lwm2mRecord> records)
    {
        Lwm2mContentFormatRegistry.Default.TryGet(Lwm2mContentFormat.SenmlJson, out ILwm2mContentCodec? codec);
        var output = new ArrayBufferWriter<byte>();
        Assert.Null(codec!.EncodeRecords(records, output));
        var request = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Post };
        request.SetUriPath("/dp");
        request.ContentFormat = Lwm2mContentFormat.SenmlJson;
        request.Payload = output.WrittenMemory.ToArray();
        return (await _endpoint!.SendAsync(new CoapPeer(server), request)).Code;
    }

    private CoapResponse Composite(bool read, CoapMessage request)
    {
        if (request.ContentFormat is not { } format || !Lwm2mContentFormatRegistry.Default.TryGet(format, out ILwm2mContentCodec? codec))
        {
            return new CoapResponse(CoapCode.UnsupportedContentFormat);
        }
        Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> decoded = codec.DecodeRecords(request.Payload.Span, Model);
        if (!decoded.IsSuccess)
        {
            return new CoapResponse(CoapCode.BadRequest);
        }
        lock (_gate)
        {
            if (!read)
            {
                foreach (Lwm2mRecord record in decoded.Value!)
                {
                    _values[record.Path] = record.Value!.Value;
                }
                return new CoapResponse(CoapCode.Changed);
            }
            var found = new List<Lwm2mRecord>();
            foreach (Lwm2mRecord asked in decoded.Value!)
            {
                found.AddRange(_values.Where(kv => asked.Path.Contains(kv.Key)).OrderBy(kv => kv.Key).Select(kv => new Lwm2mRecord(kv.Key, kv.Value)));
            }
            ushort accept = (ushort?)request.GetUIntOption(CoapOptionNumber.Accept) ?? format;
            Lwm2mContentFormatRegistry.Default.TryGet(accept, out ILwm2mContentCodec? answerCodec);
            var output = new ArrayBufferWriter<byte>();
            if (answerCodec is null || answerCodec.EncodeRecords(found, output) is not null)
            {
                return new CoapResponse(CoapCode.NotAcceptable);
            }
            var response = new CoapResponse(CoapCode.Content, output.WrittenMemory.ToArray());
            response.Message.ContentFormat = accept;
            return response;
        }
    }

    private static string Method(CoapCode code) =>
        code == CoapCode.Get ? "GET" : code == CoapCode.Put ? "PUT" : code == CoapCode.Post ? "POST" : code == CoapCode.Delete ? "DELETE" : code.ToString();

    private void AddLog(string line)
    {
        lock (_gate)
        {
            _log.Add(line);
        }
    }

    private CoapResponse CreateOrUpdate(Lwm2mPath path, CoapMessage request)
    {
        if (request.ContentFormat is not { } format || !Lwm2mContentFormatRegistry.Default.TryGet(format, out ILwm2mContentCodec? codec))
        {
            return new CoapResponse(CoapCode.UnsupportedContentFormat);
        }
        Lwm2mCodecResult<Lwm2mNode> decoded = codec.DecodeNode(request.Payload.Span, path, Model);
        if (!decoded.IsSuccess)
        {
            return new CoapResponse(CoapCode.BadRequest);
        }
        Lwm2mObjectInstance? instance = decoded.Value switch
        {
            Lwm2mObjectInstance i => i,
            Lwm2mObject { Instances.Count: 1 } o => o.Instances[0],
            _ => null,
        };
        if (instance is null)
        {
            return new CoapResponse(CoapCode.BadRequest);
        }
        Lwm2mPath instancePath = path.Level == Lwm2mPathLevel.Object ? path.Append(instance.Id) : path;
        lock (_gate)
        {
            foreach (Lwm2mSingleResource resource in instance.Resources.OfType<Lwm2mSingleResource>())
            {
                _values[instancePath.Append(resource.Id)] = resource.Value;
            }
        }
        AddLog($"{(path.Level == Lwm2mPathLevel.Object ? "CREATE" : "UPDATE")} {instancePath}");
        return new CoapResponse(path.Level == Lwm2mPathLevel.Object ? CoapCode.Created : CoapCode.Changed);
    }

    private CoapResponse Read(Lwm2mPath path, ushort format)
    {
        Lwm2mValue? value = ValueAt(path);
        if (value is null || path.Level != Lwm2mPathLevel.Resource)
        {
            return new CoapResponse(CoapCode.NotFound);
        }
        if (!Lwm2mContentFormatRegistry.Default.TryGet(format, out ILwm2mContentCodec? codec))
        {
            return new CoapResponse(CoapCode.NotAcceptable);
        }
        var output = new ArrayBufferWriter<byte>();
        if (codec.EncodeNode(path, new Lwm2mSingleResource(path.ResourceId!.Value, value.Value), output) is not null)
        {
            return new CoapResponse(CoapCode.NotAcceptable);
        }
        var response = new CoapResponse(CoapCode.Content, output.WrittenMemory.ToArray());
        response.Message.ContentFormat = format;
        return response;
    }

    private CoapResponse Write(Lwm2mPath path, ushort? format, ReadOnlyMemory<byte> payload)
    {
        if (ValueAt(path) is null)
        {
            return new CoapResponse(CoapCode.NotFound);
        }
        if (format is not { } f || !Lwm2mContentFormatRegistry.Default.TryGet(f, out ILwm2mContentCodec? codec))
        {
            return new CoapResponse(CoapCode.UnsupportedContentFormat);
        }
        Lwm2mCodecResult<Lwm2mNode> decoded = codec.DecodeNode(payload.Span, path, Model);
        if (decoded.Value is not Lwm2mSingleResource resource)
        {
            return new CoapResponse(CoapCode.BadRequest);
        }
        lock (_gate)
        {
            _values[path] = resource.Value;
        }
        return new CoapResponse(CoapCode.Changed);
    }

    public async ValueTask DisposeAsync()
    {
        if (_endpoint is not null)
        {
            await _endpoint.DisposeAsync();
        }
    }
}
