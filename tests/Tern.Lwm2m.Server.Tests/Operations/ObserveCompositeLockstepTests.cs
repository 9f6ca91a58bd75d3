using System.Text;
using Tern.Coap.Messages;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Server.Operations;

/// <summary>
/// Observe-Composite and Cancel-Observe-Composite against a raw-byte client:
/// <code>
///   client                                        server
///     |   CON FETCH / Observe=0 ct=110 Accept=110  |   (server.ObserveCompositeAsync)
///     |   [{"n":"/3/0/13"},{"n":"/3/0/9"}]         |
///     |&lt;---------------------------------------------|
///     |   ACK 2.05 Observe=1 (both values)          |
///     |--------------------------------------------&gt;|
///     |   CON 2.05 Observe=2 (same token)           |   -&gt; NotificationReceived with records
///     |--------------------------------------------&gt;|
///     |   CON FETCH / Observe=1, same token, body   |   (Cancel-Observe-Composite)
///     |&lt;---------------------------------------------|
/// </code>
/// </summary>
public class ObserveCompositeLockstepTests
{
    private static readonly Lwm2mPath Time = Lwm2mPath.Parse("/3/0/13");
    private static readonly Lwm2mPath Battery = Lwm2mPath.Parse("/3/0/9");

    private static byte[] Response(byte type, byte code, ushort messageId, ReadOnlyMemory<byte> token, uint? observe, ushort? format, byte[] payload) =>
        RawObserver.Response(type, code, messageId, token, observe, format, payload);

    private static byte[] Values(long time, long battery) =>
        Encoding.ASCII.GetBytes($"[{{\"bn\":\"/3/0/\",\"n\":\"13\",\"v\":{time}}},{{\"n\":\"9\",\"v\":{battery}}}]");

    private static IReadOnlyList<Lwm2mRecord> Decode(ushort format, ReadOnlyMemory<byte> payload)
    {
        Assert.True(Lwm2mContentFormatRegistry.Default.TryGet(format, out ILwm2mContentCodec? codec));
        Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> decoded = codec.DecodeRecords(payload.Span, new ObjectDefinitionRegistry());
        Assert.True(decoded.IsSuccess, decoded.Error?.ToString());
        return decoded.Value!;
    }

    private static Task<(ServerFixture F, RawPeer Client, List<Lwm2mNotificationEventArgs> Notifications)> RegisteredAsync(string links = "</>;rt=\"oma.lwm2m\";ct=110,</3/0>") =>
        RawObserver.RegisteredAsync("dev", links);

    private static async Task<(CompositeObserveResult Result, CoapMessage Request)> ObserveAsync(ServerFixture f, RawPeer client)
    {
        Task<CompositeObserveResult> observe = f.Server.ObserveCompositeAsync("dev", [Time, Battery]);
        CoapMessage request = RawPeer.Decode(await f.RunAsync(client.ReceiveAsync()));
        await client.SendAsync(f.Server.LocalEndPoint, Response(2, 0x45, request.MessageId, request.Token, 1, Lwm2mContentFormat.SenmlJson, Values(1000, 90)));
        return (await f.RunAsync(observe), request);
    }

    [Fact]
    public async Task Observe_composite_fetches_the_root_with_observe_0_and_raises_notifications_as_records()
    {
        var (f, client, notifications) = await RegisteredAsync();
        await using var _ = f;
        await using var __ = client;

        var (result, request) = await ObserveAsync(f, client);
        await client.SendAsync(f.Server.LocalEndPoint, Response(0, 0x45, 0x0500, request.Token, 2, Lwm2mContentFormat.SenmlJson, Values(2000, 80)));
        CoapMessage ack = RawPeer.Decode(await f.RunAsync(client.ReceiveAsync()));
        await f.Network.RunUntilAsync(() => notifications.Count == 1, TimeSpan.FromSeconds(1));

        Assert.Equal((CoapCode.Fetch, 0u, "/"), (request.Code, request.Observe, request.UriPath));
        Assert.Equal(Lwm2mContentFormat.SenmlJson, request.ContentFormat);
        Assert.Equal((uint)Lwm2mContentFormat.SenmlJson, request.GetUIntOption(CoapOptionNumber.Accept));
        Assert.Equal([Time, Battery], Decode(Lwm2mContentFormat.SenmlJson, request.Payload).Select(r => r.Path));
        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal([new Lwm2mRecord(Time, Lwm2mValue.FromUnixTime(1000)), new Lwm2mRecord(Battery, Lwm2mValue.FromInteger(90))], result.Records);
        Lwm2mObservation observation = result.Observation!;
        Assert.True(observation.IsComposite);
        Assert.Equal([Time, Battery], observation.Paths);
        Assert.Equal((CoapMessageType.Acknowledgement, (ushort)0x0500), (ack.Type, ack.MessageId));
        Lwm2mNotificationEventArgs notification = Assert.Single(notifications);
        Assert.Same(observation, notification.Observation);
        Assert.Null(notification.Node);
        Assert.Equal([new Lwm2mRecord(Time, Lwm2mValue.FromUnixTime(2000)), new Lwm2mRecord(Battery, Lwm2mValue.FromInteger(80))], notification.Records);
        Assert.Equal([observation], f.Server.GetObservations("dev"));
    }

    [Fact]
    public async Task Cancel_observe_composite_repeats_the_fetch_with_observe_1_on_the_same_token()
    {
        var (f, client, _) = await RegisteredAsync();
        await using var __ = f;
        await using var ___ = client;
        var (result, request) = await ObserveAsync(f, client);

        Task<int> cancel = f.Server.CancelCompositeObservationsAsync("dev", [Battery, Time]);
        CoapMessage deregister = RawPeer.Decode(await f.RunAsync(client.ReceiveAsync()));
        await client.SendAsync(f.Server.LocalEndPoint, Response(2, 0x45, deregister.MessageId, deregister.Token, null, Lwm2mContentFormat.SenmlJson, Values(3000, 70)));
        int cancelled = await f.RunAsync(cancel);

        Assert.Equal(1, cancelled);
        Assert.Equal((CoapCode.Fetch, 1u, "/"), (deregister.Code, deregister.Observe, deregister.UriPath));
        Assert.Equal(Convert.ToHexString(request.Token.Span), Convert.ToHexString(deregister.Token.Span));
        Assert.Equal(Convert.ToHexString(request.Payload.Span), Convert.ToHexString(deregister.Payload.Span));
        Assert.False(result.Observation!.IsActive);
        Assert.Empty(f.Server.GetObservations("dev"));
    }

    [Fact]
    public async Task Cancel_observe_composite_with_other_paths_cancels_nothing()
    {
        var (f, client, _) = await RegisteredAsync();
        await using var __ = f;
        await using var ___ = client;
        var (result, _) = await ObserveAsync(f, client);

        int cancelled = await f.RunAsync(f.Server.CancelCompositeObservationsAsync("dev", [Time]));

        Assert.Equal(0, cancelled);
        Assert.True(result.Observation!.IsActive);
    }

    [Fact]
    public async Task Observe_composite_refused_in_senml_cbor_is_retried_in_senml_json()
    {
        var (f, client, _) = await RegisteredAsync("</3/0>");
        await using var __ = f;
        await using var ___ = client;

        Task<CompositeObserveResult> observe = f.Server.ObserveCompositeAsync("dev", [Time]);
        CoapMessage first = RawPeer.Decode(await f.RunAsync(client.ReceiveAsync()));
        await client.SendAsync(f.Server.LocalEndPoint, Response(2, 0x86, first.MessageId, first.Token, null, null, []));
        CoapMessage second = RawPeer.Decode(await f.RunAsync(client.ReceiveAsync()));
        await client.SendAsync(f.Server.LocalEndPoint, Response(2, 0x45, second.MessageId, second.Token, 1, Lwm2mContentFormat.SenmlJson, Encoding.ASCII.GetBytes("[{\"n\":\"/3/0/13\",\"v\":5}]")));
        CompositeObserveResult result = await f.RunAsync(observe);

        Assert.Equal((Lwm2mContentFormat.SenmlCbor, Lwm2mContentFormat.SenmlJson), (first.ContentFormat, second.ContentFormat));
        Assert.Equal((0u, 0u), (first.Observe, second.Observe));
        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(Lwm2mContentFormat.SenmlJson, result.ContentFormat);
        Assert.True(result.Observation!.IsActive);
        Assert.Single(f.Server.GetObservations("dev"));
    }

    [Fact]
    public async Task Observe_composite_of_an_unknown_endpoint_is_not_registered()
    {
        ServerFixture f = await ServerFixture.StartAsync();
        await using var _ = f;

        CompositeObserveResult result = await f.RunAsync(f.Server.ObserveCompositeAsync("ghost", [Time]));

        Assert.Equal(Lwm2mResultStatus.NotRegistered, result.Status);
        Assert.Null(result.Observation);
    }
}
