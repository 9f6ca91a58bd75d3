using System.Net;
using Tern.Coap.Engine;
using Tern.Coap.Messages;
using Tern.Coap.Transport;

namespace Tern.Coap.Tests.Engine;

/// <summary>
/// Drives a <see cref="CoapEngine"/> synchronously for lockstep tests: feeds exact bytes in, collects exact bytes out,
/// moves a clock that exists only here. No threads, no timers.
/// </summary>
internal sealed class EngineHarness
{
    public static readonly CoapPeer Peer = new(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 5683));
    public static readonly CoapPeer OtherPeer = new(new IPEndPoint(IPAddress.Parse("2001:db8::2"), 5683));

    private readonly List<(CoapPeer Peer, string Hex)> _sent = [];
    private readonly List<CoapEngineEvent> _events = [];

    public EngineHarness(CoapEngineOptions? options = null, ushort firstMessageId = 0x7d34, double jitter = 0.0)
    {
        Random = new ScriptedRandom(firstMessageId, jitter);
        Engine = new CoapEngine(options, Random);
        Start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Now = Start;
    }

    public CoapEngine Engine { get; }

    public ScriptedRandom Random { get; }

    public DateTimeOffset Start { get; }

    public DateTimeOffset Now { get; private set; }

    public TimeSpan Elapsed => Now - Start;

    /// <summary>Every datagram sent so far with the time it left, for timing assertions.</summary>
    public List<(TimeSpan At, string Hex)> SendLog { get; } = [];

    public static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);

    public static string Normalize(string hex) => hex.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

    public void Receive(string hex, CoapPeer? from = null) => Receive(Bytes(hex), from);

    public void Receive(byte[] datagram, CoapPeer? from = null)
    {
        Engine.OnDatagram(from ?? Peer, datagram, Now);
        Collect();
    }

    public void Receive(CoapMessage message, CoapPeer? from = null) => Receive(CoapMessageCodec.Encode(message), from);

    public long SendRequest(CoapMessage request, CoapPeer? to = null)
    {
        long id = Engine.SendRequest(to ?? Peer, request, Now);
        Collect();
        return id;
    }

    public void Respond(long requestId, CoapMessage response)
    {
        Engine.Respond(requestId, response, Now);
        Collect();
    }

    public void Do(Action<CoapEngine, DateTimeOffset> action)
    {
        action(Engine, Now);
        Collect();
    }

    public T Do<T>(Func<CoapEngine, DateTimeOffset, T> action)
    {
        T result = action(Engine, Now);
        Collect();
        return result;
    }

    /// <summary>Moves the clock, waking the engine at each time it asked for on the way.</summary>
    public void Advance(TimeSpan delta)
    {
        DateTimeOffset target = Now + delta;
        while (Engine.NextWakeUp is { } due && due <= target)
        {
            Now = due > Now ? due : Now;
            Engine.OnTimer(Now);
            Collect();
        }

        Now = target;
        Engine.OnTimer(Now);
        Collect();
    }

    /// <summary>The datagrams sent since the last call, as hex.</summary>
    public List<string> TakeSent()
    {
        var hex = _sent.Select(s => s.Hex).ToList();
        _sent.Clear();
        return hex;
    }

    public List<(CoapPeer Peer, string Hex)> TakeSentWithPeers()
    {
        var copy = _sent.ToList();
        _sent.Clear();
        return copy;
    }

    public void ExpectSent(params string[] expected) =>
        Assert.Equal(expected.Select(Normalize).ToList(), TakeSent());

    public void ExpectNothingSent() => Assert.Empty(TakeSent());

    public List<CoapEngineEvent> TakeEvents(bool includeRejections = false)
    {
        var events = _events.Where(e => includeRejections || e is not CoapInputRejected).ToList();
        _events.Clear();
        return events;
    }

    public T TakeSingle<T>()
        where T : CoapEngineEvent
    {
        List<CoapEngineEvent> events = TakeEvents();
        return Assert.IsType<T>(Assert.Single(events));
    }

    public List<CoapRejectReason> TakeRejections() =>
        TakeEvents(includeRejections: true).OfType<CoapInputRejected>().Select(r => r.Reason).ToList();

    public static CoapMessage Get(string path, CoapMessageType type = CoapMessageType.Confirmable, string? tokenHex = null)
    {
        var message = new CoapMessage { Type = type, Code = CoapCode.Get };
        if (tokenHex is not null)
        {
            message.Token = Bytes(tokenHex);
        }

        return message.SetUriPath(path);
    }

    public static CoapMessage Content(string payload) =>
        new() { Code = CoapCode.Content, Payload = System.Text.Encoding.UTF8.GetBytes(payload) };

    private void Collect()
    {
        while (Engine.TryTakeDatagram(out CoapOutgoingDatagram datagram))
        {
            string hex = Hex(datagram.Datagram.Span);
            _sent.Add((datagram.Peer, hex));
            SendLog.Add((Elapsed, hex));
        }

        while (Engine.TryTakeEvent(out CoapEngineEvent? engineEvent))
        {
            _events.Add(engineEvent!);
        }
    }
}

/// <summary>A random source with a chosen first message ID, a fixed jitter and a predictable token sequence.</summary>
internal sealed class ScriptedRandom(ushort firstMessageId, double jitter) : Random
{
    private byte _tokenByte = 0xA0;

    public double Jitter { get; set; } = jitter;

    public override int Next(int minValue, int maxValue) => firstMessageId;

    public override double NextDouble() => Jitter;

    public override void NextBytes(byte[] buffer) => NextBytes(buffer.AsSpan());

    public override void NextBytes(Span<byte> buffer)
    {
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = _tokenByte++;
        }
    }
}
