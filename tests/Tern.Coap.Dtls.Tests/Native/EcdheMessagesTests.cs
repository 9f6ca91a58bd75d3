using System.Buffers.Binary;
using Org.BouncyCastle.Security;
using Tern.Coap.Dtls.Native;
using Tern.Coap.Dtls.Tests.Support;

namespace Tern.Coap.Dtls.Tests.Native;

/// <summary>The ECDHE_ECDSA messages the native server writes and the client messages it reads, checked byte by byte.</summary>
public sealed class EcdheMessagesTests
{
    [Fact]
    public async Task A_certificate_clients_hello_offers_secp256r1_uncompressed_points_and_ecdsa_sha256()
    {
        using var bound = Loopback.SafetyBound();
        byte[] datagram = await RawDtls.CaptureClientHelloAsync(NativeCertificateSessionTests.ClientOptions(), bound.Token);

        Assert.True(NativeServerEngine.TryReadHello(datagram, out ClientHello? hello, out _, out _, out _));
        Assert.Contains((ushort)23, hello!.SupportedGroups!);
        Assert.Contains((byte)0, hello.PointFormats!);
        Assert.Contains((ushort)0x0403, hello.SignatureAlgorithms!);
        Assert.True(hello.OffersSecp256r1 && hello.OffersUncompressedPoints && hello.OffersEcdsaSha256);

        byte[] withoutP256 = RawDtls.ReplaceInExtension(datagram, 0x000A, 0x0017, 0x0019);
        Assert.True(NativeServerEngine.TryReadHello(withoutP256, out ClientHello? other, out _, out _, out _));
        Assert.False(other!.OffersSecp256r1);
    }

    [Fact]
    public void Server_key_exchange_signature_verifies_with_bouncy_castle_over_both_randoms_and_the_parameters()
    {
        using ServerCertificateKeys keys = ServerCertificateKeys.TryCreate(NativeCertificateSessionTests.ServerIdentity.Credentials())!;
        byte[] clientRandom = RandomBytes(32), serverRandom = RandomBytes(32), point = [4, .. RandomBytes(64)];
        byte[] parameters = ServerMessages.EcdhParameters(point);
        byte[] signature = keys.Signer.SignData([.. clientRandom, .. serverRandom, .. parameters],
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.DSASignatureFormat.Rfc3279DerSequence);
        byte[] body = ServerMessages.EcdheServerKeyExchange(parameters, signature);

        Assert.Equal("030017" + "41" + Convert.ToHexString(point), Convert.ToHexString(body.AsSpan(0, 69)));
        Assert.Equal("0403", Convert.ToHexString(body.AsSpan(69, 2)));
        Assert.Equal(signature.Length, BinaryPrimitives.ReadUInt16BigEndian(body.AsSpan(71)));
        var verifier = SignerUtilities.GetSigner("SHA256withECDSA");
        verifier.Init(false, NativeCertificateSessionTests.ServerIdentity.Certificate.GetPublicKey());
        byte[] signed = [.. clientRandom, .. serverRandom, .. parameters];
        verifier.BlockUpdate(signed, 0, signed.Length);
        Assert.True(verifier.VerifySignature(body.AsSpan(73).ToArray()));
    }

    [Fact]
    public void Server_certificate_message_lists_the_der_chain_and_reads_back()
    {
        using ServerCertificateKeys keys = ServerCertificateKeys.TryCreate(
            NativeCertificateSessionTests.ServerIdentity.Credentials(NativeCertificateSessionTests.Ca.Certificate))!;
        byte[] leaf = NativeCertificateSessionTests.ServerIdentity.Certificate.GetEncoded();
        byte[] ca = NativeCertificateSessionTests.Ca.Certificate.GetEncoded();

        Assert.Equal(3 + 3 + leaf.Length + 3 + ca.Length, keys.CertificateMessage.Length);
        Assert.Equal(leaf, keys.CertificateMessage.AsSpan(6, leaf.Length).ToArray());
        List<byte[]>? read = ServerMessages.CertificateList(keys.CertificateMessage);
        Assert.Equal([leaf, ca], read!);
        Assert.Empty(ServerMessages.CertificateList([0, 0, 0])!);
    }

    [Fact]
    public void Server_hello_names_only_uncompressed_points_when_asked_and_certificate_request_asks_for_ecdsa_sha256()
    {
        byte[] hello = ServerMessages.ServerHello(new byte[32], [1, 2], 0xC0AE, renegotiationInfo: false, extendedMasterSecret: true, pointFormats: true);

        Assert.Equal("C0AE" + "00" + "000A" + "00170000" + "000B00020100", Convert.ToHexString(hello.AsSpan(2 + 32 + 1 + 2)));
        Assert.Equal("01400002040300" + "00", Convert.ToHexString(ServerMessages.CertificateRequest()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("41" + "04")] // says 65 bytes, holds 33
    [InlineData("40")]        // 64 bytes: no format byte
    [InlineData("21" + "02")] // compressed
    public void Client_key_exchange_reader_takes_only_a_65_byte_uncompressed_point(string prefix)
    {
        byte[] body = [.. Convert.FromHexString(prefix), .. new byte[prefix.Length == 0 ? 0 : 32]];

        Assert.Null(ServerMessages.EcdhPublicPoint(body));
        byte[] good = [65, 4, .. Enumerable.Range(0, 64).Select(i => (byte)i)];
        Assert.Equal(Enumerable.Range(0, 64).Select(i => (byte)i), ServerMessages.EcdhPublicPoint(good)!);
    }

    [Fact]
    public void Client_message_readers_never_throw_on_random_or_mutated_bodies()
    {
        var random = new Random(31337);
        byte[] chain = ServerMessages.Certificate([NativeCertificateSessionTests.ClientIdentity.Certificate.GetEncoded()]);
        byte[] verify = [4, 3, 0, 4, 1, 2, 3, 4];
        for (int i = 0; i < 20_000; i++)
        {
            byte[] source = (i % 3) switch { 0 => chain, 1 => verify, _ => RandomBytes(random.Next(0, 80)) };
            byte[] mutated = source.AsSpan(0, random.Next(0, source.Length + 1)).ToArray();
            for (int flips = random.Next(0, 4); flips > 0 && mutated.Length > 0; flips--)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            ServerMessages.CertificateList(mutated);
            ServerMessages.EcdhPublicPoint(mutated);
            ServerMessages.CertificateVerifySignature(mutated, out _);
        }

        Assert.Equal([1, 2, 3, 4], ServerMessages.CertificateVerifySignature(verify, out ushort algorithm)!);
        Assert.Equal(0x0403, algorithm);
        Assert.Null(ServerMessages.CertificateVerifySignature([4, 3, 0, 5, 1, 2, 3, 4], out _));
    }

    private static byte[] RandomBytes(int length) => System.Security.Cryptography.RandomNumberGenerator.GetBytes(length);
}
