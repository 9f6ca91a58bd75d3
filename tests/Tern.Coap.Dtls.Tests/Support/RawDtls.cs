using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Tern.Coap.Dtls.Tests.Support;

/// <summary>Wire-level helpers: capture a real ClientHello, add a cookie to it, and read what the server answered.</summary>
internal static class RawDtls
{
    /// <summary>The first datagram a Tern PSK client sends: its ClientHello (captured from a black hole, never answered).</summary>
    public static async Task<byte[]> CaptureClientHelloAsync(DtlsClientOptions options, CancellationToken cancellationToken)
    {
        using var blackHole = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<DtlsClientTransport> connecting = DtlsClientTransport.ConnectAsync((IPEndPoint)blackHole.Client.LocalEndPoint!, options, stop.Token).AsTask();
        UdpReceiveResult first = await blackHole.ReceiveAsync(cancellationToken);
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connecting);
        return first.Buffer;
    }

    /// <summary>The handshake type of the first handshake message of the first record, or -1.</summary>
    public static int FirstHandshakeType(byte[] datagram) => datagram.Length > 13 && datagram[0] == 22 ? datagram[13] : -1;

    /// <summary>All handshake types in a datagram's epoch-0 handshake records, and a marker 20 + 256 for a CCS record.</summary>
    public static List<int> Contents(byte[] datagram)
    {
        var types = new List<int>();
        int offset = 0;
        while (datagram.Length - offset >= 13)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(datagram.AsSpan(offset + 11));
            int epoch = BinaryPrimitives.ReadUInt16BigEndian(datagram.AsSpan(offset + 3));
            types.Add(datagram[offset] == 22 && epoch == 0 ? datagram[offset + 13] : (datagram[offset] * 1000) + epoch);
            offset += 13 + length;
        }

        return types;
    }

    /// <summary>The cookie of a HelloVerifyRequest datagram.</summary>
    public static byte[] CookieOf(byte[] helloVerifyRequest)
    {
        int at = 13 + 12 + 2;
        return helloVerifyRequest.AsSpan(at + 1, helloVerifyRequest[at]).ToArray();
    }

    /// <summary>
    /// The same ClientHello with <paramref name="cookie"/> in place of its empty one, as the client's second hello:
    /// message_seq 1 and record sequence 1.
    /// </summary>
    public static byte[] WithCookie(byte[] hello, byte[] cookie)
    {
        const int body = 13 + 12;
        int sessionIdLength = hello[body + 34];
        int cookieAt = body + 35 + sessionIdLength;
        int oldCookie = hello[cookieAt];
        byte[] result = [.. hello.AsSpan(0, cookieAt), (byte)cookie.Length, .. cookie, .. hello.AsSpan(cookieAt + 1 + oldCookie)];
        int delta = cookie.Length - oldCookie;
        BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(11), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(result.AsSpan(11)) + delta));
        int messageLength = ((result[14] << 16) | (result[15] << 8) | result[16]) + delta;
        foreach (int at in new[] { 14, 22 })
        {
            result[at] = (byte)(messageLength >> 16);
            result[at + 1] = (byte)(messageLength >> 8);
            result[at + 2] = (byte)messageLength;
        }

        result[18] = 1; // message_seq 1
        result[10] = 1; // record sequence 1
        return result;
    }

    /// <summary>One epoch-0 record holding one whole handshake message.</summary>
    public static byte[] HandshakeRecord(byte type, ushort messageSeq, long recordSequence, byte[] body)
    {
        byte[] record = new byte[13 + 12 + body.Length];
        record[0] = 22;
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(1), 0xFEFD);
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(5), (ushort)(recordSequence >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(record.AsSpan(7), (uint)recordSequence);
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(11), (ushort)(12 + body.Length));
        record[13] = type;
        foreach (int at in new[] { 14, 22 })
        {
            record[at] = (byte)(body.Length >> 16);
            record[at + 1] = (byte)(body.Length >> 8);
            record[at + 2] = (byte)body.Length;
        }

        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(17), messageSeq);
        body.CopyTo(record.AsSpan(25));
        return record;
    }

    /// <summary>
    /// The ClientHello datagram with every uint16 <paramref name="from"/> in the list of extension <paramref name="type"/>
    /// replaced by <paramref name="to"/> (lengths unchanged); fails the test when the extension or value is absent.
    /// </summary>
    public static byte[] ReplaceInExtension(byte[] hello, ushort type, ushort from, ushort to) => ReplaceInExtension(hello, type, from, to, width: 2);

    /// <summary>As <see cref="ReplaceInExtension(byte[], ushort, ushort, ushort)"/> for a list of bytes with a 1-byte length (ec_point_formats).</summary>
    public static byte[] ReplaceByteInExtension(byte[] hello, ushort type, byte from, byte to) => ReplaceInExtension(hello, type, from, to, width: 1);

    private static byte[] ReplaceInExtension(byte[] hello, ushort type, ushort from, ushort to, int width)
    {
        byte[] result = (byte[])hello.Clone();
        int at = 13 + 12 + 2 + 32;
        at += 1 + result[at];                                                  // session id
        at += 1 + result[at];                                                  // cookie
        at += 2 + BinaryPrimitives.ReadUInt16BigEndian(result.AsSpan(at));     // cipher suites
        at += 1 + result[at];                                                  // compression methods
        int end = at + 2 + BinaryPrimitives.ReadUInt16BigEndian(result.AsSpan(at));
        at += 2;
        int replaced = 0;
        while (at + 4 <= end)
        {
            ushort extension = BinaryPrimitives.ReadUInt16BigEndian(result.AsSpan(at));
            int length = BinaryPrimitives.ReadUInt16BigEndian(result.AsSpan(at + 2));
            if (extension == type)
            {
                for (int i = at + 4 + width; i + width <= at + 4 + length; i += width) // skip the list's own length
                {
                    ushort value = width == 2 ? BinaryPrimitives.ReadUInt16BigEndian(result.AsSpan(i)) : result[i];
                    if (value == from)
                    {
                        if (width == 2)
                        {
                            BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(i), to);
                        }
                        else
                        {
                            result[i] = (byte)to;
                        }

                        replaced++;
                    }
                }
            }

            at += 4 + length;
        }

        Assert.True(replaced > 0, $"extension {type:X4} with {from:X4} not found in the ClientHello");
        return result;
    }
}
