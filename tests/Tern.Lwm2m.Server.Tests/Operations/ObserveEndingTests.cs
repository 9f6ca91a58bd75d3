using System.Text;
using Tern.Coap.Messages;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Server.Operations;

public class ObserveEndingTests
{
    [Fact]
    public async Task Error_notification_from_the_client_ends_the_observation_and_is_reported()
    {
        ServerFixture f = await ServerFixture.StartAsync();
        await using var _ = f;
        await using var client = new RawPeer(f.Network);
        var notifications = new List<Lwm2mNotificationEventArgs>();
        f.Server.NotificationReceived += (_, e) => notifications.Add(e);
        byte[] register = [0x44, 0x02, 0x00, 0x01, 1, 2, 3, 4, 0xB2, .. "rd"u8, 0x11, 40, 0x36, .. "ep=dev"u8, 0xFF, .. "</3/0>"u8];
        await client.SendAsync(f.Server.LocalEndPoint, register);
        await f.RunAsync(client.ReceiveAsync());

        Task<ObserveResult> observe = f.Server.ObserveAsync("dev", Lwm2mPath.Parse("/3/0/0"));
        CoapMessage request = RawPeer.Decode(await f.RunAsync(client.ReceiveAsync()));
        Assert.Equal((uint)Lwm2mContentFormat.Tlv, request.GetUIntOption(CoapOptionNumber.Accept));
        byte[] first = [(byte)(0x60 | request.Token.Length), 0x45, (byte)(request.MessageId >> 8), (byte)request.MessageId, .. request.Token.ToArray(), 0x61, 1, 0x62, 0x2D, 0x16, 0xFF, 0xC4, 0x00, .. "Tern"u8];
        await client.SendAsync(f.Server.LocalEndPoint, first);
        ObserveResult result = await f.RunAsync(observe);
        Assert.True(result.IsSuccess, result.ToString());

        // NON 4.04 on the observation's token: the client ended it (RFC 7641 §3.2).
        byte[] gone = [(byte)(0x50 | request.Token.Length), 0x84, 0x09, 0x00, .. request.Token.ToArray()];
        await client.SendAsync(f.Server.LocalEndPoint, gone);
        await f.RunAsync(result.Observation!.Completion);

        Assert.False(result.Observation.IsActive);
        Lwm2mNotificationEventArgs ended = Assert.Single(notifications);
        Assert.Null(ended.Node);
        Assert.Contains("4.04", ended.Error, StringComparison.Ordinal);
        Assert.Empty(f.Server.GetObservations("dev"));
    }
}
