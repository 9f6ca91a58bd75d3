using System.Collections.Concurrent;
using System.Net;
using Tern.Coap.Endpoint;
using Tern.Coap.Interop.Tests.Harness;
using Tern.Coap.Messages;
using Tern.Coap.Transport;
using Tern.Coap.Transport.Udp;

namespace Tern.Coap.Interop.Tests;

/// <summary>Tern's client, libcoap's <c>coap-server-notls</c> as the server.</summary>
public sealed class TernFetchesFromLibCoapTests : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);
    private LibCoapServer _server = null!;
    private CoapEndpoint _client = null!;

    private CoapPeer Server => new(_server.EndPoint);

    public async Task InitializeAsync()
    {
        // -d lets PUT create resources (up to 10).
        _server = await LibCoapServer.StartAsync("-d", "10");
        UdpCoapTransport transport = await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0));
        _client = await CoapEndpoint.StartAsync(transport);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Tern_client_gets_the_banner_libcoap_serves_at_the_root()
    {
        CoapResponse response = await _client.SendAsync(Server, Get("/")).WaitAsync(Limit);

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Contains("libcoap", response.PayloadText);
    }

    [Fact]
    public async Task Tern_client_gets_not_found_for_a_path_libcoap_does_not_serve()
    {
        CoapResponse response = await _client.SendAsync(Server, Get("/no/such/thing")).WaitAsync(Limit);

        Assert.Equal(CoapCode.NotFound, response.Code);
    }

    [Fact]
    public async Task Tern_client_pings_libcoap_and_gets_the_reset()
    {
        await _client.PingAsync(Server).WaitAsync(Limit);
    }

    [Fact]
    public async Task Tern_client_puts_a_multi_kilobyte_body_to_libcoap_block_wise_and_gets_it_back()
    {
        byte[] body = Bodies.Numbered(6000, "tern");
        CoapMessage put = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Put, Payload = body }.SetUriPath("/tern-upload");
        put.ContentFormat = 0;

        CoapResponse created = await _client.SendAsync(Server, put).WaitAsync(Limit);
        CoapResponse fetched = await _client.SendAsync(Server, Get("/tern-upload")).WaitAsync(Limit);

        Assert.True(created.IsSuccess, $"PUT answered {created.Code}: {created.PayloadText}\n{_server.Output}");
        Assert.Equal(CoapCode.Content, fetched.Code);
        Assert.Equal(body, fetched.Payload.ToArray());
    }

    [Fact]
    public async Task Tern_client_observes_libcoaps_clock_and_receives_several_notifications()
    {
        var notifications = new ConcurrentQueue<string>();
        var three = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await using CoapObservation observation = await _client.ObserveAsync(Server, Get("/time"), notification =>
        {
            notifications.Enqueue(notification.PayloadText);
            if (notifications.Count >= 3)
            {
                three.TrySetResult();
            }

            return ValueTask.CompletedTask;
        }).WaitAsync(Limit);

        Assert.Equal(CoapCode.Content, observation.Response.Code);
        Assert.True(observation.IsActive, "libcoap should accept the observation of /time");
        await three.Task.WaitAsync(Limit);
        Assert.All(notifications, text => Assert.False(string.IsNullOrWhiteSpace(text)));
    }

    private static CoapMessage Get(string path) =>
        new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Get }.SetUriPath(path);
}
