using System.Text;
using Tern.Coap.Messages;
using Tern.Lwm2m.Client.Engine;

namespace Tern.Lwm2m.Client.Tests.Engine;

/// <summary>
/// The registration-interface requests, encoded to bytes with the CoAP codec and decoded back, so the
/// assertions are on what goes on the wire.
/// </summary>
public class RegistrationMessagesTests
{
    private static readonly Lwm2mObjectAdvert[] Objects = [new(3, null, [0]), new(1, "1.1", [0]), new(5, null, [])];

    private static CoapMessage OnTheWire(CoapMessage message)
    {
        message.MessageId = 0x1234;
        message.Token = new byte[] { 0xA1, 0xB2 };
        var bytes = CoapMessageCodec.Encode(message);
        Assert.Equal(CoapFormatError.None, CoapMessageCodec.TryDecode(bytes, out var decoded));
        return decoded!;
    }

    private static string[] Path(CoapMessage m) => [.. m.GetOptions(CoapOptionNumber.UriPath).Select(o => o.GetString())];

    [Fact]
    public void Register_for_1_1_sends_the_transport_in_b_and_queue_mode_as_a_separate_q()
    {
        var m = OnTheWire(RegistrationMessages.Register("urn:imei:1", TimeSpan.FromSeconds(86400), Lwm2mVersion.Lwm2m11, "UQ", Objects, 110));
        Assert.Equal(CoapMessageType.Confirmable, m.Type);
        Assert.Equal(CoapCode.Post, m.Code);
        Assert.Equal(["rd"], Path(m));
        Assert.Equal(["ep=urn:imei:1", "lt=86400", "lwm2m=1.1", "b=U", "Q"], m.UriQueries);
        Assert.Equal((ushort)40, m.ContentFormat);
        Assert.Equal("</>;rt=\"oma.lwm2m\";ct=110,</1>;ver=1.1,</1/0>,</3/0>,</5>", Encoding.UTF8.GetString(m.Payload.Span));
    }

    [Fact]
    public void Register_for_1_0_keeps_queue_mode_in_the_binding()
    {
        var m = OnTheWire(RegistrationMessages.Register("dev", TimeSpan.FromSeconds(60), Lwm2mVersion.Lwm2m10, "UQ", Objects, null));
        Assert.Equal(["ep=dev", "lt=60", "lwm2m=1.0", "b=UQ"], m.UriQueries);
        Assert.Equal("</1>;ver=1.1,</1/0>,</3/0>,</5>", Encoding.UTF8.GetString(m.Payload.Span));
    }

    [Fact]
    public void Register_bytes_start_with_a_confirmable_post_header()
    {
        var message = RegistrationMessages.Register("a", TimeSpan.FromSeconds(30), Lwm2mVersion.Lwm2m12, "U", [], null);
        message.MessageId = 0x0102;
        message.Token = new byte[] { 0x77 };
        var bytes = CoapMessageCodec.Encode(message);

        // Version 1, CON, TKL 1 -> 0x41; code 0.02 POST; message id 0x0102; token 0x77; Uri-Path (11) "rd" -> 0xB2 'r' 'd'.
        Assert.Equal(new byte[] { 0x41, 0x02, 0x01, 0x02, 0x77, 0xB2, (byte)'r', (byte)'d' }, bytes[..8]);
        // Then Content-Format (12, delta 1, one byte) 40 -> 0x11 0x28, then Uri-Query (15, delta 3) "ep=a" -> 0x34.
        Assert.Equal(new byte[] { 0x11, 0x28, 0x34, (byte)'e', (byte)'p', (byte)'=', (byte)'a' }, bytes[8..15]);
    }

    [Fact]
    public void A_periodic_update_is_a_bare_post_to_the_location()
    {
        var m = OnTheWire(RegistrationMessages.Update(["rd", "5a3f"], null, null, 112));
        Assert.Equal(CoapCode.Post, m.Code);
        Assert.Equal(["rd", "5a3f"], Path(m));
        Assert.Empty(m.UriQueries);
        Assert.True(m.Payload.IsEmpty);
        Assert.Null(m.ContentFormat);
    }

    [Fact]
    public void An_update_after_changes_carries_the_new_lifetime_and_links()
    {
        var m = OnTheWire(RegistrationMessages.Update(["rd", "5a3f"], TimeSpan.FromSeconds(120), Objects, 112));
        Assert.Equal(["lt=120"], m.UriQueries);
        Assert.Equal((ushort)40, m.ContentFormat);
        Assert.Equal("</>;rt=\"oma.lwm2m\";ct=112,</1>;ver=1.1,</1/0>,</3/0>,</5>", Encoding.UTF8.GetString(m.Payload.Span));
    }

    [Fact]
    public void Deregister_deletes_the_location()
    {
        var m = OnTheWire(RegistrationMessages.Deregister(["rd", "5a3f"]));
        Assert.Equal(CoapMessageType.Confirmable, m.Type);
        Assert.Equal(CoapCode.Delete, m.Code);
        Assert.Equal(["rd", "5a3f"], Path(m));
        Assert.Empty(m.UriQueries);
        Assert.True(m.Payload.IsEmpty);
    }
}
