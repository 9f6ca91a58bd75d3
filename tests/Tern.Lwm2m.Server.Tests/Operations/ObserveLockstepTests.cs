using System.Text;
using Tern.Coap.Messages;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Server.Operations;

/// <summary>
/// Observations against raw-byte clients:
/// <code>
///   client                              server
///     |   CON GET /3/0/13 Observe=0 Accept |   (server.ObserveAsync)
///     |&lt;------------------------------------|
///     |   ACK 2.05 Observe=1 (first value) |
///     |-----------------------------------&gt;|
///     |   CON 2.05 Observe=2 (same token)  |   -&gt; NotificationReceived
///     |-----------------------------------&gt;|
///     |              ACK                   |
///     |&lt;------------------------------------|
/// </code>
/// </summary>
public class ObserveLockstepTests
{
    private static byte[] Response(byte type, ushort messageId, ReadOnlyMemory<byte> token, uint? observe, ushort format, byte[] payload) =>
        RawObserver.Response(type, 0x45, messageId, token, observe, format, payload);

    private static byte[] SenmlTime(long value) => Encoding.ASCII.GetBytes($"[{{\"bn\":\"/3/0/13\",\"v\":{value}}}]");

    private static Task<(ServerFixture F, RawPeer Client, List<Lwm2mNotificationEventArgs> Notifications)> RegisteredAsync() =>
        RawObserver.RegisteredAsync("waka01", "</>;rt=\"oma.lwm2m\";ct=110,</3/0>");

    private static async Task<(ObserveResult Result, CoapMessage Request)> ObserveAsync(ServerFixture f, RawPeer client)
    {
        Task<ObserveResult> observe = f.Server.ObserveAsync("waka01", Lwm2mPath.Parse("/3/0/13"));
        CoapMessage request = RawPeer.Decode(await f.RunAsync(client.ReceiveAsync()));
        Assert.Equal((uint)0, request.Observe);
        Assert.Equal((uint)Lwm2mContentFormat.SenmlJson, request.GetUIntOption(CoapOptionNumber.Accept));
        await client.SendAsync(f.Server.LocalEndPoint, Response(2, request.MessageId, request.Token, 1, Lwm2mContentFormat.SenmlJson, SenmlTime(1000)));
        return (await f.RunAsync(observe), request);
    }

    [Fact]
    public async Task Observe_returns_the_first_value_and_raises_later_notifications_decoded()
    {
        var (f, client, notifications) = await RegisteredAsync();
        await using var _ = f;
        await using var __ = client;

        var (result, request) = await ObserveAsync(f, client);
        await client.SendAsync(f.Server.LocalEndPoint, Response(0, 0x0500, request.Token, 2, Lwm2mContentFormat.SenmlJson, SenmlTime(2000)));
        CoapMessage ack = RawPeer.Decode(await f.RunAsync(client.ReceiveAsync()));
        await f.Network.RunUntilAsync(() => notifications.Count == 1, TimeSpan.FromSeconds(1));

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(new Lwm2mSingleResource(13, Lwm2mValue.FromUnixTime(1000)), result.Node);
        Assert.NotNull(result.Observation);
        Assert.True(result.Observation.IsActive);
        Assert.Equal(CoapMessageType.Acknowledgement, ack.Type);
        Assert.Equal(0x0500, ack.MessageId);
        Lwm2mNotificationEventArgs notification = Assert.Single(notifications);
        Assert.Same(result.Observation, notification.Observation);
        Assert.Equal(new Lwm2mSingleResource(13, Lwm2mValue.FromUnixTime(2000)), notification.Node);
        Assert.Equal([result.Observation], f.Server.GetObservations("waka01"));
    }

    [Fact]
    public async Task Active_cancel_sends_a_get_with_observe_1_on_the_same_token()
    {
        var (f, client, _) = await RegisteredAsync();
        await using var __ = f;
        await using var ___ = client;
        var (result, request) = await ObserveAsync(f, client);

        Task cancel = result.Observation!.CancelAsync(active: true);
        CoapMessage deregister = RawPeer.Decode(await f.RunAsync(client.ReceiveAsync()));
        await client.SendAsync(f.Server.LocalEndPoint, Response(2, deregister.MessageId, deregister.Token, null, Lwm2mContentFormat.SenmlJson, SenmlTime(3000)));
        await f.RunAsync(cancel);

        Assert.Equal(CoapCode.Get, deregister.Code);
        Assert.Equal((uint)1, deregister.Observe);
        Assert.Equal("/3/0/13", deregister.UriPath);
        Assert.Equal(Convert.ToHexString(request.Token.Span), Convert.ToHexString(deregister.Token.Span));
        Assert.False(result.Observation.IsActive);
        Assert.Empty(f.Server.GetObservations("waka01"));
    }

    [Fact]
    public async Task Passive_cancel_answers_the_next_notification_with_reset_and_raises_nothing()
    {
        var (f, client, notifications) = await RegisteredAsync();
        await using var _ = f;
        await using var __ = client;
        var (result, request) = await ObserveAsync(f, client);

        await f.RunAsync(result.Observation!.CancelAsync(active: false));
        await client.SendAsync(f.Server.LocalEndPoint, Response(0, 0x0600, request.Token, 3, Lwm2mContentFormat.SenmlJson, SenmlTime(4000)));
        CoapMessage answer = RawPeer.Decode(await f.RunAsync(client.ReceiveAsync()));

        Assert.Equal(CoapMessageType.Reset, answer.Type);
        Assert.Equal(0x0600, answer.MessageId);
        Assert.Empty(notifications);
    }

    [Fact]
    public async Task Deregistration_ends_the_observations_of_that_registration()
    {
        var (f, client, notifications) = await RegisteredAsync();
        await using var _ = f;
        await using var __ = client;
        var (result, request) = await ObserveAsync(f, client);
        var registration = (await f.Server.GetRegistrationAsync("waka01"))!;

        byte[] delete = [0x44, 0x04, 0x00, 0x02, 5, 6, 7, 8, 0xB2, .. "rd"u8, 0x0C, .. Encoding.ASCII.GetBytes(registration.Id)];
        await client.SendAsync(f.Server.LocalEndPoint, delete);
        Assert.Equal(0x42, (await f.RunAsync(client.ReceiveAsync()))[1]);
        await f.RunAsync(result.Observation!.Completion);
        await client.SendAsync(f.Server.LocalEndPoint, Response(0, 0x0700, request.Token, 4, Lwm2mContentFormat.SenmlJson, SenmlTime(5000)));
        CoapMessage answer = RawPeer.Decode(await f.RunAsync(client.ReceiveAsync()));

        Assert.Equal(CoapMessageType.Reset, answer.Type);
        Assert.Empty(notifications);
        Assert.Empty(f.Server.GetObservations("waka01"));
    }

    [Fact]
    public async Task Observe_refused_by_the_client_returns_its_code_and_no_observation()
    {
        var (f, client, _) = await RegisteredAsync();
        await using var __ = f;
        await using var ___ = client;

        Task<ObserveResult> observe = f.Server.ObserveAsync("waka01", Lwm2mPath.Parse("/3/0/13"));
        CoapMessage request = RawPeer.Decode(await f.RunAsync(client.ReceiveAsync()));
        byte[] methodNotAllowed = [(byte)(0x60 | request.Token.Length), 0x85, (byte)(request.MessageId >> 8), (byte)request.MessageId, .. request.Token.ToArray()];
        await client.SendAsync(f.Server.LocalEndPoint, methodNotAllowed);
        ObserveResult result = await f.RunAsync(observe);

        Assert.Equal(Lwm2mResultStatus.ErrorResponse, result.Status);
        Assert.Equal(CoapCode.MethodNotAllowed, result.Code);
        Assert.Null(result.Observation);
    }
}
