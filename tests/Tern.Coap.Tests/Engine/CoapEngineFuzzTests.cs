using System.Net;
using Tern.Coap.Engine;
using Tern.Coap.Messages;
using Tern.Coap.Transport;

namespace Tern.Coap.Tests.Engine;

/// <summary>Random and mutated datagrams from many peers: nothing escapes, nothing grows past its cap.</summary>
public class CoapEngineFuzzTests
{
    private static readonly CoapEngineOptions SmallCaps = new()
    {
        MaxDeduplicationEntries = 64,
        MaxPendingExchanges = 16,
        MaxIncomingRequests = 8,
        MaxObservers = 4,
    };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Random_and_mutated_datagrams_never_throw_and_never_exceed_the_caps(int seed)
    {
        var random = new Random(seed);
        var engine = new CoapEngine(SmallCaps, new Random(seed + 100));
        DateTimeOffset now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        CoapPeer[] peers = [.. Enumerable.Range(1, 5).Select(i => new CoapPeer(new IPEndPoint(IPAddress.Parse($"192.0.2.{i}"), 5683)))];
        byte[][] seeds = [.. ValidMessages().Select(CoapMessageCodec.Encode)];
        var sentMessageIds = new List<(CoapPeer Peer, byte[] Datagram)>();
        var incoming = new List<long>();
        int delivered = 0;

        for (int i = 0; i < 5000; i++)
        {
            CoapPeer peer = peers[random.Next(peers.Length)];
            byte[] datagram = random.Next(4) switch
            {
                0 => RandomBytes(random),
                1 => Mutate(random, seeds[random.Next(seeds.Length)]),
                2 when sentMessageIds.Count > 0 => Mutate(random, sentMessageIds[random.Next(sentMessageIds.Count)].Datagram),
                _ => seeds[random.Next(seeds.Length)],
            };
            engine.OnDatagram(peer, datagram, now);

            switch (random.Next(10))
            {
                case 0:
                    engine.SendRequest(peer, new CoapMessage { Type = (CoapMessageType)random.Next(2), Code = CoapCode.Get }.SetUriPath("/x"), now);
                    break;
                case 1 when incoming.Count > 0:
                    long requestId = incoming[0];
                    incoming.RemoveAt(0);
                    engine.Respond(requestId, new CoapMessage { Code = CoapCode.Content, Payload = new byte[random.Next(2000)] }, now);
                    break;
                case 2:
                    now += TimeSpan.FromMilliseconds(random.Next(30_000));
                    engine.OnTimer(now);
                    break;
            }

            while (engine.TryTakeDatagram(out CoapOutgoingDatagram outgoing))
            {
                Assert.InRange(outgoing.Datagram.Length, 4, SmallCaps.MaxDatagramSize);
                if (sentMessageIds.Count < 256)
                {
                    sentMessageIds.Add((outgoing.Peer, outgoing.Datagram.ToArray()));
                }
            }

            while (engine.TryTakeEvent(out CoapEngineEvent? e))
            {
                if (e is CoapRequestReceived request)
                {
                    delivered++;
                    if (request.Request.Code == CoapCode.Get && request.Request.Observe == 0 && random.Next(2) == 0)
                    {
                        engine.AcceptObservation(request.RequestId, now);
                    }

                    incoming.Add(request.RequestId);
                }
            }

            Assert.InRange(engine.DeduplicationEntryCount, 0, SmallCaps.MaxDeduplicationEntries);
            Assert.InRange(engine.PendingExchangeCount, 0, SmallCaps.MaxPendingExchanges);
            Assert.InRange(engine.IncomingRequestCount, 0, SmallCaps.MaxIncomingRequests);
            Assert.InRange(engine.ObserverCount, 0, SmallCaps.MaxObservers);
        }

        // The valid seeds do get through: the run exercised the request path, not only the rejections.
        Assert.True(delivered > 100, $"only {delivered} requests were delivered");
    }

    [Fact]
    public void Every_single_byte_truncation_of_valid_messages_is_handled()
    {
        var engine = new CoapEngine(SmallCaps, new Random(7));
        var peer = new CoapPeer(new IPEndPoint(IPAddress.Loopback, 5683));
        DateTimeOffset now = DateTimeOffset.UnixEpoch;

        foreach (byte[] valid in ValidMessages().Select(CoapMessageCodec.Encode))
        {
            for (int length = 0; length <= valid.Length; length++)
            {
                engine.OnDatagram(peer, valid.AsSpan(0, length), now);
                while (engine.TryTakeDatagram(out _))
                {
                }

                while (engine.TryTakeEvent(out _))
                {
                }
            }
        }

        Assert.InRange(engine.DeduplicationEntryCount, 0, SmallCaps.MaxDeduplicationEntries);
    }

    private static IEnumerable<CoapMessage> ValidMessages()
    {
        for (int i = 0; i < 4; i++)
        {
            ushort mid = (ushort)(0x1000 + i);
            yield return new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Get, MessageId = mid, Token = new byte[] { (byte)i } }.SetUriPath("/a/b");
            yield return new CoapMessage { Type = CoapMessageType.NonConfirmable, Code = CoapCode.Put, MessageId = mid, Token = new byte[] { 1, 2, (byte)i }, Payload = new byte[20] };
            yield return new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Get, MessageId = mid, Token = new byte[] { 9, (byte)i } }.SetUriPath("/obs").SetOption(CoapOption.FromUInt(CoapOptionNumber.Observe, 0));
            yield return new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Content, MessageId = mid, Token = new byte[] { 0xA0, (byte)i } };
            yield return new CoapMessage { Type = CoapMessageType.Acknowledgement, Code = CoapCode.Empty, MessageId = mid };
            yield return new CoapMessage { Type = CoapMessageType.Reset, Code = CoapCode.Empty, MessageId = mid };
            yield return new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Empty, MessageId = mid };
        }
    }

    private static byte[] RandomBytes(Random random)
    {
        byte[] bytes = new byte[random.Next(0, 64)];
        random.NextBytes(bytes);
        if (bytes.Length > 0 && random.Next(2) == 0)
        {
            bytes[0] = (byte)((bytes[0] & 0x3F) | 0x40);
        }

        return bytes;
    }

    private static byte[] Mutate(Random random, byte[] source)
    {
        byte[] bytes = source.ToArray();
        switch (random.Next(3))
        {
            case 0 when bytes.Length > 0:
                bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 1:
                return bytes[..random.Next(bytes.Length + 1)];
            default:
                byte[] longer = new byte[bytes.Length + random.Next(1, 8)];
                bytes.CopyTo(longer, 0);
                random.NextBytes(longer.AsSpan(bytes.Length));
                return longer;
        }
    }
}
