using System.Net;
using System.Net.Sockets;
using System.Text;
using Tern.Coap.Dtls.Tests.Support;

namespace Tern.Coap.Dtls.Tests.Native;

/// <summary>
/// Bad certificate clients on the native engine: each ends its own handshake with a typed <see cref="DtlsHandshakeFailedEventArgs"/>
/// and a fatal alert, leaves no peer, and the receive loop goes on serving a good client.
/// </summary>
public sealed class NativeCertificateRefusalTests
{
    [Fact]
    public async Task A_client_certificate_from_an_unknown_ca_is_refused_as_untrusted_and_a_good_client_still_connects()
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = NativeCertificateSessionTests.StartServer();
        TestIdentity rogue = TestCertificates.CreateLeaf("rogue", TestCertificates.CreateCa("Rogue CA"));

        DtlsHandshakeFailedEventArgs failure = await FailToConnectAsync(server, NativeCertificateSessionTests.ClientOptions(credentials: rogue.Credentials()), bound.Token);

        Assert.Equal(DtlsErrorKind.UntrustedCertificate, failure.Error.Kind);
        Assert.Equal(48, failure.Error.AlertDescription); // unknown_ca
        await AssertGoodClientConnectsAsync(server, bound.Token);
    }

    [Fact]
    public async Task An_expired_client_certificate_is_refused_with_certificate_expired()
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = NativeCertificateSessionTests.StartServer();
        TestIdentity expired = TestCertificates.CreateLeaf("expired-device", NativeCertificateSessionTests.Ca, notAfter: DateTime.UtcNow.AddHours(-1));

        DtlsHandshakeFailedEventArgs failure = await FailToConnectAsync(server, NativeCertificateSessionTests.ClientOptions(credentials: expired.Credentials()), bound.Token);

        Assert.Equal(DtlsErrorKind.UntrustedCertificate, failure.Error.Kind);
        Assert.Equal(45, failure.Error.AlertDescription); // certificate_expired
        await AssertGoodClientConnectsAsync(server, bound.Token);
    }

    [Fact]
    public async Task A_certificate_verify_signed_with_another_key_is_refused_as_a_decrypt_error()
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = NativeCertificateSessionTests.StartServer();
        // The trusted certificate, with a private key that is not its own: the client cannot prove it holds the certificate.
        var impostor = DtlsCertificateCredentials.Create([NativeCertificateSessionTests.ClientIdentity.Certificate], TestCertificates.NewKeyPair().Private);

        DtlsHandshakeFailedEventArgs failure = await FailToConnectAsync(server, NativeCertificateSessionTests.ClientOptions(credentials: impostor), bound.Token);

        Assert.Equal(DtlsErrorKind.DecryptError, failure.Error.Kind);
        Assert.Equal(51, failure.Error.AlertDescription); // decrypt_error
        Assert.Equal(0, server.CachedSessions);
        await AssertGoodClientConnectsAsync(server, bound.Token);
    }

    [Theory]
    [InlineData("04 off the curve")]
    [InlineData("02 compressed")]
    [InlineData("64 bytes")]
    [InlineData("zero point")]
    public async Task A_client_key_exchange_without_a_valid_point_is_refused_and_the_receive_loop_lives_on(string shape)
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = NativeCertificateSessionTests.StartServer(requireClientCertificate: false);
        var failed = new TaskCompletionSource<DtlsHandshakeFailedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.HandshakeFailed += (_, e) => failed.TrySetResult(e);
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await CookiedHandshakeAsync(client, server, await CaptureHelloAsync(bound.Token), bound.Token);
        byte[] point = shape switch
        {
            "04 off the curve" => [65, 4, .. Enumerable.Repeat((byte)0x5A, 64)],
            "02 compressed" => [33, 2, .. Enumerable.Repeat((byte)0x5A, 32)],
            "64 bytes" => [64, .. Enumerable.Repeat((byte)0x5A, 64)],
            _ => [65, 4, .. new byte[64]],
        };

        await client.SendAsync(RawDtls.HandshakeRecord(16, 2, 2, point), server.LocalEndPoint.EndPoint, bound.Token);
        byte[] alert = (await client.ReceiveAsync(bound.Token)).Buffer;
        DtlsHandshakeFailedEventArgs failure = await failed.Task.WaitAsync(bound.Token);

        Assert.Equal([21, 2, 47], new[] { alert[0], alert[13], alert[14] }); // fatal illegal_parameter
        Assert.Equal(DtlsErrorKind.ProtocolError, failure.Error.Kind);
        Assert.Equal(0, server.PeerCount);
        await AssertGoodClientConnectsAsync(server, bound.Token);
    }

    [Theory]
    [InlineData((ushort)0x000A, (ushort)0x0017, (ushort)0x0019)] // supported_groups: secp256r1 → secp521r1
    [InlineData((ushort)0x000D, (ushort)0x0403, (ushort)0x0203)] // signature_algorithms: ecdsa+sha256 → ecdsa+sha1
    [InlineData((ushort)0x000B, (ushort)0, (ushort)1)]           // ec_point_formats: uncompressed → ansiX962_compressed_prime
    public async Task A_client_without_secp256r1_uncompressed_points_or_ecdsa_sha256_is_refused_with_a_handshake_failure(ushort extension, ushort from, ushort to)
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = NativeCertificateSessionTests.StartServer();
        var failed = new TaskCompletionSource<DtlsHandshakeFailedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.HandshakeFailed += (_, e) => failed.TrySetResult(e);
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        byte[] captured = await CaptureHelloAsync(bound.Token);
        byte[] hello = extension == 0x000B
            ? RawDtls.ReplaceByteInExtension(captured, extension, (byte)from, (byte)to)
            : RawDtls.ReplaceInExtension(captured, extension, from, to);

        byte[] answer = await CookiedHandshakeAsync(client, server, hello, bound.Token);
        DtlsHandshakeFailedEventArgs failure = await failed.Task.WaitAsync(bound.Token);

        Assert.Equal([21, 2, 40], new[] { answer[0], answer[13], answer[14] }); // fatal handshake_failure, no ServerHello
        Assert.Equal(DtlsErrorKind.HandshakeFailure, failure.Error.Kind);
        Assert.Equal(0, server.PeerCount);
        Assert.Equal(0, server.HandshakesInProgress);
        await AssertGoodClientConnectsAsync(server, bound.Token);
    }

    [Fact]
    public async Task Mutated_client_certificate_flights_never_escape_the_engine_and_a_good_client_still_connects()
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = NativeCertificateSessionTests.StartServer();
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var self = new IPEndPoint(IPAddress.Loopback, ((IPEndPoint)client.Client.LocalEndPoint!).Port);
        byte[] hello = await CaptureHelloAsync(bound.Token);
        byte[] flight =
        [
            .. RawDtls.HandshakeRecord(11, 2, 2, ServerMessagesCertificate()),
            .. RawDtls.HandshakeRecord(16, 3, 3, [65, 4, .. System.Security.Cryptography.RandomNumberGenerator.GetBytes(64)]),
            .. RawDtls.HandshakeRecord(15, 4, 4, [4, 3, 0, 8, .. System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)]),
        ];
        var random = new Random(808);
        for (int i = 0; i < 1000; i++)
        {
            byte[] fresh = (byte[])hello.Clone();
            random.NextBytes(fresh.AsSpan(13 + 12 + 2, 32)); // a new client random: a new handshake from the same address
            await client.SendAsync(fresh, server.LocalEndPoint.EndPoint, bound.Token);
            byte[] verify;
            do
            {
                verify = (await client.ReceiveAsync(bound.Token)).Buffer;
            }
            while (RawDtls.FirstHandshakeType(verify) != 3);

            server.InjectDatagram(self, RawDtls.WithCookie(fresh, RawDtls.CookieOf(verify)));
            byte[] mutated = flight.AsSpan(0, random.Next(0, flight.Length + 1)).ToArray();
            for (int flips = random.Next(0, 4); flips > 0 && mutated.Length > 0; flips--)
            {
                mutated[random.Next(mutated.Length)] ^= (byte)(1 << random.Next(8));
            }

            server.InjectDatagram(self, mutated); // throws here if anything escapes the engine
        }

        Assert.InRange(server.PeerCount, 0, 1);
        await AssertGoodClientConnectsAsync(server, bound.Token);
    }

    private static byte[] ServerMessagesCertificate() =>
        Tern.Coap.Dtls.Native.ServerMessages.Certificate([NativeCertificateSessionTests.ClientIdentity.Certificate.GetEncoded()]);

    private static Task<byte[]> CaptureHelloAsync(CancellationToken cancellationToken) =>
        RawDtls.CaptureClientHelloAsync(NativeCertificateSessionTests.ClientOptions(), cancellationToken);

    /// <summary>Sends the hello, answers the HelloVerifyRequest with the cookie, and returns the server's next datagram.</summary>
    private static async Task<byte[]> CookiedHandshakeAsync(UdpClient client, DtlsServerTransport server, byte[] hello, CancellationToken cancellationToken)
    {
        await client.SendAsync(hello, server.LocalEndPoint.EndPoint, cancellationToken);
        byte[] cookie = RawDtls.CookieOf((await client.ReceiveAsync(cancellationToken)).Buffer);
        await client.SendAsync(RawDtls.WithCookie(hello, cookie), server.LocalEndPoint.EndPoint, cancellationToken);
        return (await client.ReceiveAsync(cancellationToken)).Buffer;
    }

    private static async Task<DtlsHandshakeFailedEventArgs> FailToConnectAsync(DtlsServerTransport server, DtlsClientOptions options, CancellationToken cancellationToken)
    {
        var failed = new TaskCompletionSource<DtlsHandshakeFailedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.HandshakeFailed += (_, e) => failed.TrySetResult(e);
        await Assert.ThrowsAsync<DtlsException>(async () => await DtlsClientTransport.ConnectAsync(server.LocalEndPoint.EndPoint, options, cancellationToken));
        DtlsHandshakeFailedEventArgs failure = await failed.Task.WaitAsync(cancellationToken);
        Assert.Equal(0, server.PeerCount);
        Assert.True(server.HelloVerifyRequestsSent >= 1); // refused by the native engine, not by BouncyCastle
        return failure;
    }

    private static async Task AssertGoodClientConnectsAsync(DtlsServerTransport server, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task responder = RawCoap.RespondAsync(server, stop.Token);
        await using DtlsClientTransport good = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint.EndPoint, NativeCertificateSessionTests.ClientOptions(), cancellationToken);
        var response = await RawCoap.RequestAsync(good, good.RemoteEndPoint, "good", cancellationToken);
        Assert.Equal("hello /good", Encoding.UTF8.GetString(response.Payload.Span));
        stop.Cancel();
        await responder;
    }
}
