using System.Collections.Concurrent;
using System.Text;
using Tern.Coap.Endpoint;
using Tern.Coap.Engine;
using Tern.Coap.Messages;
using Tern.Coap.Transport;

namespace Tern.Coap.Tests.Endpoint;

/// <summary>Notifications for observations the application tracks itself (KeepObserveOption + SendNotificationAsync).</summary>
public class CoapEndpointDetachedNotifyTests
{
    // Answers an observe registration with Observe=5 and remembers who asked, without registering an observer.
    private sealed class SelfTracking : ICoapRequestHandler
    {
        public ConcurrentQueue<(CoapPeer Peer, ReadOnlyMemory<byte> Token)> Observers { get; } = new();

        public ValueTask<CoapResponse?> HandleAsync(CoapRequestContext request, CancellationToken cancellationToken)
        {
            var response = CoapResponse.Text(CoapCode.Content, "first");
            if (request.IsObserveRegistration)
            {
                request.KeepObserveOption();
                response.Message.Observe = 5;
                Observers.Enqueue((request.Peer, request.Request.Token.ToArray()));
            }

            return ValueTask.FromResult<CoapResponse?>(response);
        }
    }

    private static CoapMessage Notification((CoapPeer Peer, ReadOnlyMemory<byte> Token) observer, uint sequence, string text) =>
        new() { Code = CoapCode.Content, Token = observer.Token, Observe = sequence, Payload = Encoding.UTF8.GetBytes(text) };

    private static async Task<(EndpointFixture F, SelfTracking Handler, CoapObservation Observation, ConcurrentQueue<string> Seen)> ObservedAsync()
    {
        var handler = new SelfTracking();
        EndpointFixture f = await EndpointFixture.StartAsync(handler);
        var seen = new ConcurrentQueue<string>();
        CoapObservation observation = await f.RunAsync(f.Client.ObserveAsync(f.Server.LocalEndPoint, EndpointFixture.Get("/x"), n =>
        {
            seen.Enqueue(n.PayloadText);
            return ValueTask.CompletedTask;
        }));
        return (f, handler, observation, seen);
    }

    [Fact]
    public async Task The_response_keeps_the_Observe_option_the_handler_set_so_the_client_is_observing()
    {
        var (f, _, observation, _) = await ObservedAsync();
        await using var _f = f;

        Assert.True(observation.IsActive);
        Assert.Equal(5u, observation.Response.Message.Observe);
    }

    [Fact]
    public async Task Confirmable_notification_with_the_callers_token_reaches_the_observer_and_completes_on_ACK()
    {
        var (f, handler, observation, seen) = await ObservedAsync();
        await using var _f = f;
        Assert.True(handler.Observers.TryPeek(out var observer));

        await f.RunAsync(f.Server.SendNotificationAsync(observer.Peer, Notification(observer, 6, "second"), confirmable: true));
        await f.RunAsync(f.Server.SendNotificationAsync(observer.Peer, Notification(observer, 7, "third"), confirmable: false));
        await f.SettleAsync();

        Assert.Equal(["second", "third"], seen);
        Assert.True(observation.IsActive);
    }

    [Fact]
    public async Task A_non_confirmable_notification_is_done_once_sent_and_leaves_the_callers_message_as_it_was()
    {
        var (f, handler, _, seen) = await ObservedAsync();
        await using var _f = f;
        Assert.True(handler.Observers.TryPeek(out var observer));
        CoapMessage notification = Notification(observer, 6, "second");
        notification.Type = CoapMessageType.Acknowledgement;
        notification.MessageId = 4242;

        Task sending = f.Server.SendNotificationAsync(observer.Peer, notification, confirmable: false);
        await f.SettleAsync();

        Assert.True(sending.IsCompletedSuccessfully);
        Assert.Equal((CoapMessageType.Acknowledgement, (ushort)4242), (notification.Type, notification.MessageId));
        Assert.Equal(["second"], seen);
    }

    [Fact]
    public async Task An_RST_to_a_confirmable_notification_fails_it_as_Reset()
    {
        var (f, handler, observation, seen) = await ObservedAsync();
        await using var _f = f;
        Assert.True(handler.Observers.TryPeek(out var observer));
        await f.RunAsync(observation.CancelAsync(deregister: false));

        Task sent = f.Server.SendNotificationAsync(observer.Peer, Notification(observer, 6, "late"), confirmable: true);
        await f.RunUntilAsync(() => sent.IsCompleted, TimeSpan.FromMinutes(1));

        CoapException failure = await Assert.ThrowsAsync<CoapException>(() => sent);
        Assert.Equal(CoapErrorKind.Reset, failure.Kind);
        Assert.Empty(seen);
    }

    [Fact]
    public async Task A_confirmable_notification_nobody_acknowledges_fails_as_Timeout_after_the_retransmissions()
    {
        var (f, handler, _, _) = await ObservedAsync();
        await using var _f = f;
        Assert.True(handler.Observers.TryPeek(out var observer));
        f.Network.Partition(f.Client.LocalEndPoint, f.Server.LocalEndPoint);
        DateTimeOffset start = f.Clock.GetUtcNow();

        Task sent = f.Server.SendNotificationAsync(observer.Peer, Notification(observer, 6, "lost"), confirmable: true);
        await f.RunUntilAsync(() => sent.IsCompleted, TimeSpan.FromMinutes(5));

        CoapException failure = await Assert.ThrowsAsync<CoapException>(() => sent);
        Assert.Equal(CoapErrorKind.Timeout, failure.Kind);
        // RFC 7252 defaults: 4 retransmissions, the last one given up on after at least 2 s * (1+2+4+8+16) = 62 s.
        Assert.True(f.Clock.GetUtcNow() - start >= TimeSpan.FromSeconds(62));
    }
}
