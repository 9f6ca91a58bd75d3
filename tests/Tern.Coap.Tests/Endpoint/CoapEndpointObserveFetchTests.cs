using System.Collections.Concurrent;
using System.Text;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;

namespace Tern.Coap.Tests.Endpoint;

/// <summary>Observe on FETCH (RFC 8132) through two endpoints on the virtual network.</summary>
public class CoapEndpointObserveFetchTests
{
    /// <summary>Answers a FETCH with its own body upper-cased and accepts observations of it.</summary>
    private sealed class EchoFetch : ICoapRequestHandler
    {
        public ConcurrentQueue<CoapObserver> Observers { get; } = new();

        public ConcurrentQueue<CoapMessage> Requests { get; } = new();

        public ValueTask<CoapResponse?> HandleAsync(CoapRequestContext request, CancellationToken cancellationToken)
        {
            Requests.Enqueue(request.Request);
            if (request.Request.Code != CoapCode.Fetch)
            {
                return ValueTask.FromResult<CoapResponse?>(new CoapResponse(CoapCode.MethodNotAllowed));
            }

            if (request.IsObserveRegistration && request.AcceptObservation() is { } observer)
            {
                Observers.Enqueue(observer);
            }

            return ValueTask.FromResult<CoapResponse?>(new CoapResponse(CoapCode.Content, Encoding.UTF8.GetBytes(Text(request.Request).ToUpperInvariant())));
        }
    }

    private static string Text(CoapMessage message) => Encoding.UTF8.GetString(message.Payload.Span);

    private static CoapMessage Fetch(string body) =>
        new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Fetch, ContentFormat = 110, Payload = Encoding.UTF8.GetBytes(body) }.SetUriPath("/");

    [Fact]
    public async Task Two_fetch_observations_of_one_path_get_their_own_notifications()
    {
        var handler = new EchoFetch();
        await using var f = await EndpointFixture.StartAsync(handler);
        var seenA = new ConcurrentQueue<string>();
        var seenB = new ConcurrentQueue<string>();

        CoapObservation a = await f.RunAsync(f.Client.ObserveAsync(f.Server.LocalEndPoint, Fetch("a"), n => { seenA.Enqueue(n.PayloadText); return ValueTask.CompletedTask; }));
        CoapObservation b = await f.RunAsync(f.Client.ObserveAsync(f.Server.LocalEndPoint, Fetch("b"), n => { seenB.Enqueue(n.PayloadText); return ValueTask.CompletedTask; }));
        CoapObserver[] observers = [.. handler.Observers];
        CoapObserver observerOfA = observers.Single(o => Text(o.Registration) == "a");
        CoapObserver observerOfB = observers.Single(o => Text(o.Registration) == "b");
        await f.RunAsync(observerOfA.NotifyAsync(new CoapResponse(CoapCode.Content, "a1"u8.ToArray())));
        await f.RunAsync(observerOfB.NotifyAsync(new CoapResponse(CoapCode.Content, "b1"u8.ToArray())));
        await f.RunAsync(observerOfA.NotifyAsync(new CoapResponse(CoapCode.Content, "a2"u8.ToArray())));
        await f.SettleAsync();

        Assert.Equal(("A", "B"), (a.Response.PayloadText, b.Response.PayloadText));
        Assert.True(a.IsActive && b.IsActive);
        Assert.Equal(["a1", "a2"], seenA);
        Assert.Equal(["b1"], seenB);
    }

    [Fact]
    public async Task Disposing_a_fetch_observation_deregisters_it_with_a_fetch_carrying_the_same_body()
    {
        var handler = new EchoFetch();
        await using var f = await EndpointFixture.StartAsync(handler);
        CoapObservation observation = await f.RunAsync(f.Client.ObserveAsync(f.Server.LocalEndPoint, Fetch("x"), _ => ValueTask.CompletedTask));
        CoapObserver observer = Assert.Single(handler.Observers);

        await f.RunAsync(observation.DisposeAsync().AsTask());
        await f.SettleAsync();

        CoapMessage[] requests = [.. handler.Requests];
        Assert.Equal(2, requests.Length);
        Assert.Equal((CoapCode.Fetch, 1u, "x"), (requests[1].Code, requests[1].Observe, Text(requests[1])));
        Assert.Equal(requests[0].Token.ToArray(), requests[1].Token.ToArray());
        Assert.False(observer.IsActive);
        Assert.False(observation.IsActive);
    }

    [Fact]
    public async Task Observing_with_a_post_is_refused_as_misuse()
    {
        await using var f = await EndpointFixture.StartAsync(new EchoFetch());
        CoapMessage post = Fetch("x");
        post.Code = CoapCode.Post;

        await Assert.ThrowsAsync<ArgumentException>(() => f.Client.ObserveAsync(f.Server.LocalEndPoint, post, _ => ValueTask.CompletedTask));
    }
}
