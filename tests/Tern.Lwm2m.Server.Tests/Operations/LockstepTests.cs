using System.Text;
using Tern.Coap.Messages;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Registrations;

namespace Tern.Lwm2m.Server.Operations;

/// <summary>
/// Raw-byte conversations the way real clients hold them. Each client registers with the exact datagram it would
/// send, then the server reads from it and the script answers with exact bytes:
/// <code>
///   client                          server
///     | CON POST /rd?ep=..&amp;lwm2m=..  |
///     |-------------------------------&gt;|
///     |   ACK 2.01 Location-Path rd/id |
///     |&lt;-------------------------------|
///     |    CON GET /3/0/.. Accept=..   |   (server.ReadAsync)
///     |&lt;-------------------------------|
///     |   ACK 2.05 Content-Format=..   |
///     |-------------------------------&gt;|
/// </code>
/// </summary>
public class LockstepTests
{
    private static readonly byte[] Token = [0x01, 0x02, 0x03, 0x04];

    /// <summary>A CON POST /rd datagram, options written by hand (each delta and length below 13).</summary>
    private static byte[] RegisterDatagram(string[] queries, string links)
    {
        var bytes = new List<byte> { 0x44, 0x02, 0x00, 0x2A };
        bytes.AddRange(Token);
        bytes.Add(0xB2); // Uri-Path (11), 2 bytes
        bytes.AddRange("rd"u8.ToArray());
        bytes.Add(0x11); // Content-Format (12), 1 byte: 40
        bytes.Add(40);
        int delta = 3; // to Uri-Query (15)
        foreach (string query in queries)
        {
            Assert.True(query.Length < 13);
            bytes.Add((byte)((delta << 4) | query.Length));
            bytes.AddRange(Encoding.ASCII.GetBytes(query));
            delta = 0;
        }

        bytes.Add(0xFF);
        bytes.AddRange(Encoding.ASCII.GetBytes(links));
        return [.. bytes];
    }

    /// <summary>An ACK 2.05 answering <paramref name="request"/> with a Content-Format below 256 or the TLV number.</summary>
    private static byte[] ContentDatagram(CoapMessage request, ushort contentFormat, byte[] payload)
    {
        var bytes = new List<byte> { (byte)(0x60 | request.Token.Length), 0x45, (byte)(request.MessageId >> 8), (byte)request.MessageId };
        bytes.AddRange(request.Token.ToArray());
        if (contentFormat < 256)
        {
            bytes.AddRange([0xC1, (byte)contentFormat]); // Content-Format (12), 1 byte
        }
        else
        {
            bytes.AddRange([0xC2, (byte)(contentFormat >> 8), (byte)contentFormat]);
        }

        bytes.Add(0xFF);
        bytes.AddRange(payload);
        return [.. bytes];
    }

    private static async Task<Registration> RegisterAsync(ServerFixture f, RawPeer client, string[] queries, string links, string endpoint)
    {
        await client.SendAsync(f.Server.LocalEndPoint, RegisterDatagram(queries, links));
        byte[] answer = await f.RunAsync(client.ReceiveAsync());
        Registration registration = (await f.Server.GetRegistrationAsync(endpoint))!;
        Assert.NotNull(registration);

        // ACK 2.01, same message ID and token, Location-Path "rd" then the 12-character id.
        byte[] expected = [0x64, 0x41, 0x00, 0x2A, .. Token, 0x82, (byte)'r', (byte)'d', 0x0C, .. Encoding.ASCII.GetBytes(registration.Id)];
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(answer));
        return registration;
    }

    private static async Task<ReadResult> ReadAnsweringAsync(ServerFixture f, RawPeer client, string endpoint, string path, ushort expectedAccept, ushort answerFormat, byte[] payload)
    {
        Task<ReadResult> read = f.Server.ReadAsync(endpoint, Lwm2mPath.Parse(path));
        CoapMessage request = RawPeer.Decode(await f.RunAsync(client.ReceiveAsync()));
        Assert.Equal(CoapCode.Get, request.Code);
        Assert.Equal(path, request.UriPath);
        Assert.Equal(expectedAccept, (ushort)request.GetUIntOption(CoapOptionNumber.Accept)!.Value);
        await client.SendAsync(f.Server.LocalEndPoint, ContentDatagram(request, answerFormat, payload));
        return await f.RunAsync(read);
    }

    [Fact]
    public async Task Wakaama_style_11_client_advertising_senml_json_is_read_in_senml_json()
    {
        await using var f = await ServerFixture.StartAsync();
        await using var client = new RawPeer(f.Network);
        Registration registration = await RegisterAsync(f, client, ["ep=wakaama", "lt=300", "lwm2m=1.1", "b=U"], "</>;rt=\"oma.lwm2m\";ct=110,</1/0>,</3/0>", "wakaama");
        Assert.Equal([Lwm2mContentFormat.SenmlJson], registration.ContentFormats);

        ReadResult result = await ReadAnsweringAsync(f, client, "wakaama", "/3/0/0", Lwm2mContentFormat.SenmlJson, Lwm2mContentFormat.SenmlJson, "[{\"bn\":\"/3/0/0\",\"vs\":\"Wakaama\"}]"u8.ToArray());

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(new Lwm2mSingleResource(0, Lwm2mValue.FromString("Wakaama")), result.Node);
        Assert.Equal(Lwm2mContentFormat.SenmlJson, result.ContentFormat);
    }

    [Fact]
    public async Task Anjay_lite_style_11_client_advertising_nothing_is_read_in_senml_cbor()
    {
        await using var f = await ServerFixture.StartAsync();
        await using var client = new RawPeer(f.Network);
        await RegisterAsync(f, client, ["ep=anjay", "lt=86400", "lwm2m=1.1", "b=U"], "</1>;ver=1.1,</1/0>,</3/0>", "anjay");

        // [{-2: "/3/0/", 0: "0", 3: "Anjay"}]
        byte[] senmlCbor = [0x81, 0xA3, 0x21, 0x65, .. "/3/0/"u8, 0x00, 0x61, (byte)'0', 0x03, 0x65, .. "Anjay"u8];
        ReadResult result = await ReadAnsweringAsync(f, client, "anjay", "/3/0", Lwm2mContentFormat.SenmlCbor, Lwm2mContentFormat.SenmlCbor, senmlCbor);

        Assert.True(result.IsSuccess, result.ToString());
        var instance = Assert.IsType<Lwm2mObjectInstance>(result.Node);
        Assert.Equal(new Lwm2mSingleResource(0, Lwm2mValue.FromString("Anjay")), Assert.Single(instance.Resources));
    }

    [Fact]
    public async Task Lwm2m_10_client_is_read_in_tlv()
    {
        await using var f = await ServerFixture.StartAsync();
        await using var client = new RawPeer(f.Network);
        await RegisterAsync(f, client, ["ep=old", "lt=300", "lwm2m=1.0", "b=U"], "</1/0>,</3/0>", "old");

        // Resource 0 with a 4-byte value: type 11, 8-bit id, length in the low bits.
        byte[] tlv = [0xC4, 0x00, .. "Tern"u8];
        ReadResult result = await ReadAnsweringAsync(f, client, "old", "/3/0/0", Lwm2mContentFormat.Tlv, Lwm2mContentFormat.Tlv, tlv);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(new Lwm2mSingleResource(0, Lwm2mValue.FromString("Tern")), result.Node);
    }

    [Fact]
    public async Task Client_answer_that_does_not_decode_is_an_invalid_response_not_an_exception()
    {
        await using var f = await ServerFixture.StartAsync();
        await using var client = new RawPeer(f.Network);
        await RegisterAsync(f, client, ["ep=old", "lwm2m=1.0"], "</3/0>", "old");

        ReadResult result = await ReadAnsweringAsync(f, client, "old", "/3/0/0", Lwm2mContentFormat.Tlv, Lwm2mContentFormat.Tlv, [0xC8, 0x00]);

        Assert.Equal(Lwm2mResultStatus.InvalidResponse, result.Status);
        Assert.Null(result.Node);
        Assert.False(string.IsNullOrEmpty(result.Diagnostic));
    }
}
