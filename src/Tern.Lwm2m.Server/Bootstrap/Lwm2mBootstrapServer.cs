using System.Buffers;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Transport;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Formats.LinkFormat;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Server.Bootstrap;

/// <summary>
/// An LwM2M bootstrap server: answers Bootstrap-Request (POST /bs?ep=) for endpoints it has a configuration for,
/// then runs the session: optional Bootstrap-Discover, Bootstrap-Delete, Bootstrap-Write for each configured
/// instance, and Bootstrap-Finish. A failed step ends the session without Finish.
/// </summary>
public sealed partial class Lwm2mBootstrapServer : IAsyncDisposable
{
    private readonly CoapEndpoint _endpoint;
    private readonly Lwm2mBootstrapServerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lwm2mContentFormatRegistry _formats;
    private readonly CancellationTokenSource _stopping = new();
    private int _sessions;

    private Lwm2mBootstrapServer(CoapEndpoint endpoint, Lwm2mBootstrapServerOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        _endpoint = endpoint;
        _options = options;
        _time = time;
        _logger = loggers.CreateLogger<Lwm2mBootstrapServer>();
        _formats = options.Formats ?? Lwm2mContentFormatRegistry.Default;
        Store = options.Store ?? new InMemoryBootstrapConfigurationStore();
    }

    /// <summary>A bootstrap session ended, successfully or not.</summary>
    public event EventHandler<BootstrapSessionEventArgs>? SessionEnded;

    /// <summary>The configurations by endpoint.</summary>
    public IBootstrapConfigurationStore Store { get; }

    /// <summary>The address the bootstrap server listens on.</summary>
    public CoapPeer LocalEndPoint => _endpoint.LocalEndPoint;

    /// <summary>True when the endpoint has no queued work and no session runs (tests settle on this).</summary>
    internal bool IsIdle => _endpoint.IsIdle && Volatile.Read(ref _sessions) == 0;

    /// <summary>Starts a bootstrap server on <paramref name="transport"/>, which it then owns.</summary>
    public static async ValueTask<Lwm2mBootstrapServer> StartAsync(ICoapTransport transport, Lwm2mBootstrapServerOptions? options = null, TimeProvider? time = null, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        options ??= new Lwm2mBootstrapServerOptions();
        time ??= TimeProvider.System;
        loggers ??= NullLoggerFactory.Instance;
        var handler = new Handler();
        CoapEndpointOptions coap = options.Coap ?? new CoapEndpointOptions();
        CoapEndpoint endpoint = await CoapEndpoint.StartAsync(transport, new CoapEndpointOptions
        {
            Engine = coap.Engine,
            HandlerTimeout = coap.HandlerTimeout,
            NotificationBuffer = coap.NotificationBuffer,
            Random = coap.Random,
            RunHandlersInline = coap.RunHandlersInline,
            Handler = handler,
        }, time, loggers).ConfigureAwait(false);
        var server = new Lwm2mBootstrapServer(endpoint, options, time, loggers);
        handler.Server = server;
        return server;
    }

    /// <summary>Stops running sessions and closes the endpoint.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _endpoint.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async ValueTask<CoapResponse?> HandleAsync(CoapRequestContext context, CancellationToken cancellationToken)
    {
        CoapMessage request = context.Request;
        if (request.UriPath != "/bs")
        {
            return new CoapResponse(CoapCode.NotFound);
        }

        if (request.Code != CoapCode.Post)
        {
            return new CoapResponse(CoapCode.MethodNotAllowed);
        }

        string? endpoint = null;
        ushort? preferred = null;
        foreach (string query in request.UriQueries)
        {
            if (query.StartsWith("ep=", StringComparison.Ordinal))
            {
                endpoint = query[3..];
            }
            else if (query.StartsWith("pct=", StringComparison.Ordinal))
            {
                if (!ushort.TryParse(query.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out ushort pct))
                {
                    return CoapResponse.Text(CoapCode.BadRequest, $"The preferred content format 'pct' must be a number, not '{query[4..]}'.");
                }

                preferred = pct;
            }
        }

        if (string.IsNullOrEmpty(endpoint))
        {
            return CoapResponse.Text(CoapCode.BadRequest, "Bootstrap-Request needs the endpoint name parameter 'ep'.");
        }

        BootstrapConfiguration? configuration = await Store.GetAsync(endpoint, cancellationToken).ConfigureAwait(false);
        if (configuration is null)
        {
            Log.NoConfiguration(_logger, endpoint, context.Peer);
            return CoapResponse.Text(CoapCode.BadRequest, $"No bootstrap configuration for '{endpoint}'.");
        }

        // The session runs after this 2.04 is on its way.
        Interlocked.Increment(ref _sessions);
        _ = Task.Run(() => RunSessionAsync(endpoint, context.Peer, configuration, preferred), CancellationToken.None);
        return new CoapResponse(CoapCode.Changed);
    }

    private async Task RunSessionAsync(string endpoint, CoapPeer peer, BootstrapConfiguration configuration, ushort? preferred)
    {
        var steps = new List<BootstrapStep>();
        IReadOnlyList<CoreLink> discovered = [];
        string? failure = null;
        try
        {
            if (configuration.Discover)
            {
                CoapMessage discover = Request(CoapCode.Get, Lwm2mPath.Root);
                discover.AddOption(CoapOption.FromUInt(CoapOptionNumber.Accept, Lwm2mContentFormat.LinkFormat));
                CoapResponse? answer = await StepAsync(peer, "Discover", Lwm2mPath.Root, discover, steps).ConfigureAwait(false);
                if (answer is { IsSuccess: true } && CoreLinkFormat.Parse(answer.Payload.Span) is { IsSuccess: true } links)
                {
                    discovered = links.Value!;
                }
            }

            foreach (Lwm2mPath path in configuration.Deletes)
            {
                CoapResponse? answer = await StepAsync(peer, "Delete", path, Request(CoapCode.Delete, path), steps).ConfigureAwait(false);
                failure ??= answer is { IsSuccess: true } ? null : Failed("Delete", path, answer);
                if (failure is not null)
                {
                    break;
                }
            }

            ushort format = configuration.ContentFormat ?? preferred ?? Lwm2mContentFormat.Tlv;
            foreach (BootstrapWrite write in failure is null ? configuration.Writes : [])
            {
                CoapResponse? answer = await StepAsync(peer, "Write", write.Path, WriteRequest(write, format), steps).ConfigureAwait(false);
                if (answer?.Code == CoapCode.UnsupportedContentFormat && configuration.ContentFormat is null && format != Lwm2mContentFormat.SenmlCbor)
                {
                    format = Lwm2mContentFormat.SenmlCbor;
                    answer = await StepAsync(peer, "Write", write.Path, WriteRequest(write, format), steps).ConfigureAwait(false);
                }

                failure = answer is { IsSuccess: true } ? null : Failed("Write", write.Path, answer);
                if (failure is not null)
                {
                    break;
                }
            }

            if (failure is null)
            {
                CoapMessage finish = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Post }.SetUriPath("/bs");
                CoapResponse? answer = await StepAsync(peer, "Finish", Lwm2mPath.Root, finish, steps).ConfigureAwait(false);
                failure = answer is { IsSuccess: true } ? null : Failed("Finish", Lwm2mPath.Root, answer);
            }
        }
        catch (ArgumentException ex)
        {
            failure = $"The configuration cannot be encoded: {ex.Message}";
        }
        catch (OperationCanceledException)
        {
            failure = "The bootstrap server stopped.";
        }
        finally
        {
            Log.SessionEnded(_logger, endpoint, failure is null, failure);
            if (SessionEnded is { } handler)
            {
                try
                {
                    handler(this, new BootstrapSessionEventArgs(endpoint, failure is null, steps, failure, discovered));
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    Log.EventHandlerFailed(_logger, endpoint, ex);
                }
            }

            Interlocked.Decrement(ref _sessions);
        }
    }

    private async Task<CoapResponse?> StepAsync(CoapPeer peer, string operation, Lwm2mPath path, CoapMessage request, List<BootstrapStep> steps)
    {
        using var timer = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, _stopping.Token);
        CoapResponse? answer = null;
        try
        {
            answer = await _endpoint.SendAsync(peer, request, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
        {
            // No answer in time: recorded as a step without a code.
        }
        catch (CoapException)
        {
            // Reset or network failure: likewise.
        }

        steps.Add(new BootstrapStep(operation, path.ToString(), answer?.Code));
        return answer;
    }

    private static string Failed(string operation, Lwm2mPath path, CoapResponse? answer) =>
        answer is null ? $"{operation} {path} got no answer." : $"{operation} {path} was answered {answer.Code}.";

    private static CoapMessage Request(CoapCode code, Lwm2mPath path) =>
        new CoapMessage { Type = CoapMessageType.Confirmable, Code = code }.SetUriPath(path.ToString());

    private CoapMessage WriteRequest(BootstrapWrite write, ushort format)
    {
        if (!_formats.TryGet(format, out ILwm2mContentCodec? codec))
        {
            throw new ArgumentException($"Content format {format} is not known.", nameof(format));
        }

        var buffer = new ArrayBufferWriter<byte>();
        if (codec.EncodeNode(write.Path, write.Node, buffer) is { } error)
        {
            throw new ArgumentException($"{write.Path} in {codec.Name}: {error.Message}", nameof(write));
        }

        CoapMessage request = Request(CoapCode.Put, write.Path);
        request.ContentFormat = format;
        request.Payload = buffer.WrittenMemory.ToArray();
        return request;
    }

    private sealed class Handler : ICoapRequestHandler
    {
        public Lwm2mBootstrapServer? Server { get; set; }

        public ValueTask<CoapResponse?> HandleAsync(CoapRequestContext request, CancellationToken cancellationToken) =>
            Server is { } server ? server.HandleAsync(request, cancellationToken) : ValueTask.FromResult<CoapResponse?>(new CoapResponse(CoapCode.ServiceUnavailable));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Bootstrap-Request from {Endpoint} at {Peer}, which has no configuration")]
        public static partial void NoConfiguration(ILogger logger, string endpoint, CoapPeer peer);

        [LoggerMessage(EventId = 6102, Level = LogLevel.Information, Message = "Bootstrap session of {Endpoint} ended: success {Success} {Failure}")]
        public static partial void SessionEnded(ILogger logger, string endpoint, bool success, string? failure);

        [LoggerMessage(EventId = 6103, Level = LogLevel.Error, Message = "The SessionEnded handler failed for {Endpoint}")]
        public static partial void EventHandlerFailed(ILogger logger, string endpoint, Exception exception);
    }
}
