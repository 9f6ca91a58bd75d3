using System.Collections.Concurrent;
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

namespace Tern.Lwm2m.Server.Rest.Tests.Firmware;

/// <summary>
/// A device with object 5 on loopback UDP, enough for the REST firmware routes: it registers <c>&lt;/5/0&gt;</c>, answers
/// State and Update Result (0, as text) to reads and observations, records what is written to /5/0/0 and /5/0/1, and
/// lists no Cancel resource when discovered.
/// </summary>
internal sealed class FotaFakeDevice : ICoapRequestHandler, IAsyncDisposable
{
    private static readonly ObjectDefinitionRegistry Definitions = new();
    private CoapEndpoint? _endpoint;

    /// <summary>The requests received, e.g. <c>PUT /5/0/1</c>.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Completes with the Package URI written to /5/0/1.</summary>
    public TaskCompletionSource<string> PackageUri { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the package written to /5/0/0.</summary>
    public TaskCompletionSource<byte[]> Package { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<FotaFakeDevice> StartAsync()
    {
        var device = new FotaFakeDevice();
        UdpCoapTransport transport = await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0));
        device._endpoint = await CoapEndpoint.StartAsync(transport, new CoapEndpointOptions { Handler = device }, new VirtualTimeProvider());
        return device;
    }

    public async Task<CoapCode> RegisterAsync(IPEndPoint server, string endpoint)
    {
        var request = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Post };
        request.SetUriPath("/rd");
        foreach (string query in new[] { $"ep={endpoint}", "lt=300", "lwm2m=1.1", "b=U" })
        {
            request.AddOption(CoapOption.FromString(CoapOptionNumber.UriQuery, query));
        }

        request.ContentFormat = Lwm2mContentFormat.LinkFormat;
        request.Payload = Encoding.UTF8.GetBytes("</3/0>,</5/0>");
        return (await _endpoint!.SendAsync(new CoapPeer(server), request)).Code;
    }

    public ValueTask<CoapResponse?> HandleAsync(CoapRequestContext request, CancellationToken cancellationToken)
    {
        CoapMessage message = request.Request;
        string path = message.UriPath;
        Requests.Enqueue($"{message.Code} {path}");
        CoapResponse answer;
        if (message.Code == CoapCode.Get && message.GetUIntOption(CoapOptionNumber.Accept) == Lwm2mContentFormat.LinkFormat)
        {
            answer = new CoapResponse(CoapCode.Content, Encoding.UTF8.GetBytes("</5/0>,</5/0/1>,</5/0/2>,</5/0/3>,</5/0/5>"));
            answer.Message.ContentFormat = Lwm2mContentFormat.LinkFormat;
        }
        else if (message.Code == CoapCode.Get && path is "/5/0/3" or "/5/0/5")
        {
            if (request.IsObserveRegistration)
            {
                request.AcceptObservation();
            }

            answer = new CoapResponse(CoapCode.Content, "0"u8.ToArray());
            answer.Message.ContentFormat = Lwm2mContentFormat.Text;
        }
        else if (message.Code == CoapCode.Put && path == "/5/0/1")
        {
            ushort format = message.ContentFormat ?? Lwm2mContentFormat.Text;
            if (Lwm2mContentFormatRegistry.Default.TryGet(format, out ILwm2mContentCodec? codec)
                && codec.DecodeNode(message.Payload.Span, new Lwm2mPath(5, 0, 1), Definitions).Value is Lwm2mSingleResource { } uri)
            {
                PackageUri.TrySetResult(uri.Value.AsString());
            }

            answer = new CoapResponse(CoapCode.Changed);
        }
        else if (message.Code == CoapCode.Put && path == "/5/0/0")
        {
            Package.TrySetResult(message.Payload.ToArray());
            answer = new CoapResponse(CoapCode.Changed);
        }
        else
        {
            answer = new CoapResponse(CoapCode.NotFound);
        }

        return ValueTask.FromResult<CoapResponse?>(answer);
    }

    public async ValueTask DisposeAsync()
    {
        if (_endpoint is not null)
        {
            await _endpoint.DisposeAsync();
        }
    }
}
