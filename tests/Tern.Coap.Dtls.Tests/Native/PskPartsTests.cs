using System.Buffers.Binary;
using Tern.Coap.Dtls.Native;
using Tern.Coap.Dtls.Tests.Support;
using Tern.Coap.Timing;

namespace Tern.Coap.Dtls.Tests.Native;

/// <summary>The native engine's parts on their own: session cache, ClientHello parser, reassembler, options.</summary>
public sealed class PskPartsTests
{
    private static CachedSession Session(byte id, DateTimeOffset created) =>
        new([id], new byte[48], NativeConnection.PskSuite, true, "device-" + id, created);

    [Fact]
    public void Session_cache_evicts_the_least_recently_used_session_when_full()
    {
        var clock = new VirtualTimeProvider();
        var cache = new NativeSessionCache(2, TimeSpan.FromHours(1), clock);
        cache.Add(Session(1, clock.GetUtcNow()));
        cache.Add(Session(2, clock.GetUtcNow()));

        Assert.NotNull(cache.Find([1])); // 1 is now the most recently used
        cache.Add(Session(3, clock.GetUtcNow()));

        Assert.NotNull(cache.Find([1]));
        Assert.Null(cache.Find([2]));
        Assert.NotNull(cache.Find([3]));
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void Session_cache_forgets_a_session_once_its_lifetime_has_passed()
    {
        var clock = new VirtualTimeProvider();
        var cache = new NativeSessionCache(10, TimeSpan.FromMinutes(30), clock);
        cache.Add(Session(1, clock.GetUtcNow()));

        clock.Advance(TimeSpan.FromMinutes(29));
        Assert.NotNull(cache.Find([1]));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(cache.Find([1]));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task Client_hello_parser_reads_a_real_hello_and_never_throws_on_any_prefix_or_mutation()
    {
        using var bound = Loopback.SafetyBound();
        byte[] datagram = await RawDtls.CaptureClientHelloAsync(DtlsPskTests.ClientOptions(), bound.Token);

        Assert.True(NativeServerEngine.TryReadHello(datagram, out ClientHello? hello, out ushort seq, out long recordSeq, out _));
        Assert.Equal(0, seq);
        Assert.Equal(0, recordSeq);
        Assert.True(hello!.Offers(NativeConnection.PskSuite));
        Assert.Empty(hello.Cookie);
        Assert.True(hello.OffersNullCompression);

        var random = new Random(17);
        for (int i = 0; i < 20_000; i++)
        {
            byte[] mutated = datagram.AsSpan(0, random.Next(0, datagram.Length + 1)).ToArray();
            for (int flips = random.Next(0, 5); flips > 0 && mutated.Length > 0; flips--)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            NativeServerEngine.TryReadHello(mutated, out _, out _, out _, out _);
        }
    }

    [Fact]
    public void Client_hello_with_a_length_running_past_its_body_is_refused()
    {
        byte[] body = new byte[2 + 32 + 1 + 1 + 2 + 2 + 2];
        BinaryPrimitives.WriteUInt16BigEndian(body, 0xFEFD);
        body[34] = 0;        // session id
        body[35] = 0;        // cookie
        body[36] = 0;
        body[37] = 2;        // two bytes of suites
        body[38] = 0xC0;
        body[39] = 0xA8;
        body[40] = 5;        // five compression methods, but one byte left

        Assert.Null(ClientHello.Parse(body));
        body[40] = 1;
        Assert.NotNull(ClientHello.Parse(body));
    }

    [Fact]
    public void Reassembler_joins_out_of_order_overlapping_fragments_and_refuses_oversized_messages()
    {
        byte[] message = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
        var reassembler = new HandshakeReassembler();

        Assert.Null(reassembler.Add(new HandshakeFragment(16, 100, 2, 60, 40), message.AsSpan(60, 40)));
        Assert.Null(reassembler.Add(new HandshakeFragment(16, 100, 2, 0, 30), message.AsSpan(0, 30)));
        byte[]? whole = reassembler.Add(new HandshakeFragment(16, 100, 2, 20, 45), message.AsSpan(20, 45));

        Assert.Equal(message, whole);
        Assert.Null(reassembler.Add(new HandshakeFragment(16, HandshakeReassembler.MaxMessageLength + 1, 3, 0, 10), new byte[10]));
    }

    [Fact]
    public void Server_options_refuse_nonsense_for_the_native_engine()
    {
        var store = new DtlsPskStore().Set("a", [1]);
        Assert.Throws<ArgumentException>(() => new DtlsServerOptions { PskStore = store, SessionCacheSize = -1 }.Validate());
        Assert.Throws<ArgumentException>(() => new DtlsServerOptions { PskStore = store, SessionLifetime = TimeSpan.Zero }.Validate());
        Assert.Throws<ArgumentException>(() => new DtlsServerOptions { PskStore = store, CookieSecretRotation = TimeSpan.FromSeconds(-1) }.Validate());
        Assert.Throws<ArgumentException>(() => new DtlsServerOptions { PskStore = store, PskIdentityHint = new string('h', 1025) }.Validate());
        new DtlsServerOptions { PskStore = store, SessionCacheSize = 0 }.Validate();
    }

    [Fact]
    public async Task A_cookie_from_the_previous_secret_period_is_accepted_and_one_from_two_periods_back_is_not()
    {
        using var bound = Loopback.SafetyBound();
        byte[] datagram = await RawDtls.CaptureClientHelloAsync(DtlsPskTests.ClientOptions(), bound.Token);
        NativeServerEngine.TryReadHello(datagram, out ClientHello? hello, out _, out _, out _);
        var clock = new VirtualTimeProvider();
        var cookies = new HelloCookies(clock, TimeSpan.FromMinutes(5));
        var client = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 40000);
        byte[] cookie = cookies.Create(client, hello!);
        ClientHello? cookied = ClientHello.Parse(RawDtls.WithCookie(datagram, cookie).AsSpan(25));

        Assert.True(cookies.IsValid(client, cookied!));
        Assert.False(cookies.IsValid(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 40001), cookied!));
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.True(cookies.IsValid(client, cookied!));
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.False(cookies.IsValid(client, cookied!));
    }
}
