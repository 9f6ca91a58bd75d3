using System.Text;

namespace Tern.Lwm2m.Server.Operations;

/// <summary>What the observation lockstep tests share: a raw-byte client registered with the server, and hand-built answers.</summary>
internal static class RawObserver
{
    /// <summary>
    /// A response datagram: <paramref name="type"/> (0 CON, 2 ACK), <paramref name="code"/> (e.g. 0x45 for 2.05), an
    /// optional one-byte Observe, an optional Content-Format, and the payload (no marker when empty).
    /// </summary>
    public static byte[] Response(byte type, byte code, ushort messageId, ReadOnlyMemory<byte> token, uint? observe, ushort? format, byte[] payload)
    {
        var bytes = new List<byte> { (byte)(0x40 | (type << 4) | token.Length), code, (byte)(messageId >> 8), (byte)messageId };
        bytes.AddRange(token.ToArray());
        int last = 0;
        if (observe is { } seq)
        {
            bytes.AddRange([0x61, (byte)seq]); // Observe (6), 1 byte
            last = 6;
        }

        if (format is { } f)
        {
            int delta = 12 - last; // Content-Format (12)
            bytes.AddRange(f < 256 ? [(byte)((delta << 4) | 1), (byte)f] : [(byte)((delta << 4) | 2), (byte)(f >> 8), (byte)f]);
        }

        if (payload.Length > 0)
        {
            bytes.Add(0xFF);
            bytes.AddRange(payload);
        }

        return [.. bytes];
    }

    /// <summary>A server with a raw client registered as <paramref name="endpoint"/> (LwM2M 1.1) with <paramref name="links"/>, and the notifications it raises.</summary>
    public static async Task<(ServerFixture F, RawPeer Client, List<Lwm2mNotificationEventArgs> Notifications)> RegisteredAsync(string endpoint, string links)
    {
        ServerFixture f = await ServerFixture.StartAsync();
        var client = new RawPeer(f.Network);
        var notifications = new List<Lwm2mNotificationEventArgs>();
        f.Server.NotificationReceived += (_, e) =>
        {
            lock (notifications)
            {
                notifications.Add(e);
            }
        };
        byte[] query = Encoding.ASCII.GetBytes("ep=" + endpoint);
        Assert.InRange(query.Length, 1, 12);
        byte[] register = [0x44, 0x02, 0x00, 0x01, 1, 2, 3, 4, 0xB2, .. "rd"u8, 0x11, 40, (byte)(0x30 | query.Length), .. query, 0x09, .. "lwm2m=1.1"u8, 0xFF, .. Encoding.ASCII.GetBytes(links)];
        await client.SendAsync(f.Server.LocalEndPoint, register);
        Assert.Equal(0x41, (await f.RunAsync(client.ReceiveAsync()))[1]);
        return (f, client, notifications);
    }
}
