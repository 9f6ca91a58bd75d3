using System.Reflection;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Prng;
using Org.BouncyCastle.Crypto.Tls;
using Org.BouncyCastle.Security;
using Tern.Coap.Dtls.Native;

namespace Tern.Coap.Dtls.Tests.Native;

/// <summary>
/// The native engine's PRF, key block and CCM_8 / GCM record protection against BouncyCastle's independent implementation:
/// the same secrets must give the same bytes, and a record sealed by one must open with the other.
/// </summary>
public sealed class PskCryptoTests
{
    [Fact]
    public void Prf_output_equals_bouncy_castles_tls12_prf_for_random_secrets_labels_and_lengths()
    {
        var random = new Random(1234);
        for (int i = 0; i < 50; i++)
        {
            byte[] secret = Bytes(random, random.Next(1, 80));
            byte[] seed = Bytes(random, random.Next(0, 100));
            string label = "label " + i;
            int length = random.Next(1, 150);
            var context = new StubContext(isServer: true);

            byte[] expected = TlsUtilities.PRF(context, secret, label, seed, length);
            byte[] actual = new byte[length];
            TlsPrf.Derive(secret, label, seed, actual);

            Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(actual));
        }
    }

    [Fact]
    public void Psk_premaster_secret_has_the_rfc4279_layout()
    {
        byte[] premaster = TlsPrf.PskPremasterSecret([0xAA, 0xBB, 0xCC]);

        Assert.Equal("0003000000" + "0003AABBCC", Convert.ToHexString(premaster));
    }

    [Fact]
    public void Record_sealed_by_bouncy_castle_client_opens_with_the_native_server_keys() =>
        ForRandomRecords(99, (bouncyClient, clientWrite, _, plaintext, sequence) =>
        {
            byte[] sealedByBouncy = bouncyClient.EncodePlaintext(sequence, DtlsRecord.ApplicationData, plaintext, 0, plaintext.Length);
            byte[] opened = new byte[plaintext.Length];
            bool ok = clientWrite.TryOpen((ulong)sequence, DtlsRecord.ApplicationData, DtlsRecord.Dtls12, sealedByBouncy, opened, out int length);

            Assert.True(ok);
            Assert.Equal(plaintext, opened.AsSpan(0, length).ToArray());
        });

    [Fact]
    public void Record_sealed_by_the_native_server_opens_with_bouncy_castles_client_keys() =>
        ForRandomRecords(7, (bouncyClient, _, serverWrite, plaintext, sequence) =>
        {
            byte[] fragment = new byte[plaintext.Length + CcmRecordCipher.Overhead];
            serverWrite.Seal((ulong)sequence, DtlsRecord.ApplicationData, DtlsRecord.Dtls12, plaintext, fragment);
            byte[] opened = bouncyClient.DecodeCiphertext(sequence, DtlsRecord.ApplicationData, fragment, 0, fragment.Length);

            Assert.Equal(plaintext, opened);
        });

    /// <summary>
    /// Twenty rounds of fresh secrets: BouncyCastle's client-side CCM_8 cipher and the native ciphers of both directions
    /// from the same key block, with a plaintext of 0 to 299 bytes and an epoch-1 sequence number.
    /// </summary>
    private static void ForRandomRecords(int seed, Action<TlsAeadCipher, CcmRecordCipher, CcmRecordCipher, byte[], long> check)
    {
        var random = new Random(seed);
        for (int i = 0; i < 20; i++)
        {
            (byte[] master, byte[] clientRandom, byte[] serverRandom) = Secrets(random);
            TlsAeadCipher bouncyClient = BouncyCcm8(new StubContext(isServer: false, master, clientRandom, serverRandom));
            (CcmRecordCipher clientWrite, CcmRecordCipher serverWrite) = CcmRecordCipher.FromMasterSecret(master, clientRandom, serverRandom);
            using (clientWrite)
            using (serverWrite)
            {
                check(bouncyClient, clientWrite, serverWrite, Bytes(random, random.Next(0, 300)), ((long)1 << 48) | (uint)random.Next());
            }
        }
    }

    [Fact]
    public void Gcm_records_sealed_by_either_side_open_with_the_other_and_bouncy_castle_agrees_byte_for_byte()
    {
        var random = new Random(4242);
        for (int i = 0; i < 20; i++)
        {
            (byte[] master, byte[] clientRandom, byte[] serverRandom) = Secrets(random);
            TlsAeadCipher bouncyClient = BouncyGcm(new StubContext(isServer: false, master, clientRandom, serverRandom));
            (IRecordCipher clientWrite, IRecordCipher serverWrite) =
                RecordCiphers.FromMasterSecret((ushort)DtlsCipherSuite.EcdheEcdsaWithAes128GcmSha256, master, clientRandom, serverRandom);
            using (clientWrite)
            using (serverWrite)
            {
                byte[] plaintext = Bytes(random, random.Next(0, 300));
                long sequence = ((long)1 << 48) | (uint)random.Next();

                byte[] sealedByBouncy = bouncyClient.EncodePlaintext(sequence, DtlsRecord.ApplicationData, plaintext, 0, plaintext.Length);
                byte[] sealedByClientKeys = new byte[plaintext.Length + GcmRecordCipher.Overhead];
                clientWrite.Seal((ulong)sequence, DtlsRecord.ApplicationData, DtlsRecord.Dtls12, plaintext, sealedByClientKeys);
                byte[] opened = new byte[plaintext.Length];
                bool ok = clientWrite.TryOpen((ulong)sequence, DtlsRecord.ApplicationData, DtlsRecord.Dtls12, sealedByBouncy, opened, out int length);
                byte[] fromServer = new byte[plaintext.Length + serverWrite.Overhead];
                serverWrite.Seal((ulong)sequence, DtlsRecord.ApplicationData, DtlsRecord.Dtls12, plaintext, fromServer);

                Assert.Equal(24, serverWrite.Overhead);
                Assert.Equal(Convert.ToHexString(sealedByBouncy), Convert.ToHexString(sealedByClientKeys)); // explicit nonce = epoch ‖ sequence on both
                Assert.True(ok);
                Assert.Equal(plaintext, opened.AsSpan(0, length).ToArray());
                Assert.Equal(plaintext, bouncyClient.DecodeCiphertext(sequence, DtlsRecord.ApplicationData, fromServer, 0, fromServer.Length));
            }
        }
    }

    [Theory]
    [InlineData(DtlsCipherSuite.PskWithAes128Ccm8, 5)]
    [InlineData(DtlsCipherSuite.EcdheEcdsaWithAes128Ccm8, 7)]
    [InlineData(DtlsCipherSuite.EcdheEcdsaWithAes128GcmSha256, 6)]
    public void Record_with_a_flipped_bit_another_sequence_number_or_type_does_not_open(DtlsCipherSuite suite, int seed)
    {
        var random = new Random(seed);
        (byte[] master, byte[] clientRandom, byte[] serverRandom) = Secrets(random);
        (IRecordCipher clientWrite, IRecordCipher serverWrite) = RecordCiphers.FromMasterSecret((ushort)suite, master, clientRandom, serverRandom);
        using (clientWrite)
        using (serverWrite)
        {
            byte[] plaintext = Bytes(random, 40);
            byte[] fragment = new byte[plaintext.Length + clientWrite.Overhead];
            clientWrite.Seal(DtlsRecord.EpochAndSequence(1, 5), DtlsRecord.ApplicationData, DtlsRecord.Dtls12, plaintext, fragment);
            byte[] opened = new byte[plaintext.Length];

            Assert.True(clientWrite.TryOpen(DtlsRecord.EpochAndSequence(1, 5), DtlsRecord.ApplicationData, DtlsRecord.Dtls12, fragment, opened, out _));
            Assert.Equal(plaintext, opened);
            Assert.False(clientWrite.TryOpen(DtlsRecord.EpochAndSequence(1, 6), DtlsRecord.ApplicationData, DtlsRecord.Dtls12, fragment, opened, out _));
            Assert.False(clientWrite.TryOpen(DtlsRecord.EpochAndSequence(1, 5), DtlsRecord.Alert, DtlsRecord.Dtls12, fragment, opened, out _));
            for (int bit = 0; bit < fragment.Length * 8; bit += 13)
            {
                byte[] tampered = (byte[])fragment.Clone();
                tampered[bit / 8] ^= (byte)(1 << (bit % 8));
                Assert.False(clientWrite.TryOpen(DtlsRecord.EpochAndSequence(1, 5), DtlsRecord.ApplicationData, DtlsRecord.Dtls12, tampered, opened, out _));
            }

            Assert.False(serverWrite.TryOpen(DtlsRecord.EpochAndSequence(1, 5), DtlsRecord.ApplicationData, DtlsRecord.Dtls12, fragment, opened, out _));
            Assert.False(clientWrite.TryOpen(DtlsRecord.EpochAndSequence(1, 5), DtlsRecord.ApplicationData, DtlsRecord.Dtls12, fragment.AsSpan(0, clientWrite.Overhead - 1), opened, out _));
        }
    }

    private static (byte[] Master, byte[] ClientRandom, byte[] ServerRandom) Secrets(Random random) =>
        (Bytes(random, 48), Bytes(random, 32), Bytes(random, 32));

    private static byte[] Bytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static TlsAeadCipher BouncyGcm(TlsContext context) =>
        new(context, new GcmBlockCipher(new AesEngine()), new GcmBlockCipher(new AesEngine()), 16, 16);

    private static TlsAeadCipher BouncyCcm8(TlsContext context) =>
        new(context, new CcmBlockCipher(new AesEngine()), new CcmBlockCipher(new AesEngine()), 16, 8);

    /// <summary>Just enough of a BouncyCastle TLS context to run its PRF and record cipher over chosen secrets.</summary>
    private sealed class StubContext : TlsContext
    {
        public StubContext(bool isServer, byte[]? master = null, byte[]? clientRandom = null, byte[]? serverRandom = null)
        {
            IsServer = isServer;
            SecurityParameters = new SecurityParameters();
            Set("prfAlgorithm", PrfAlgorithm.tls_prf_sha256);
            Set("masterSecret", master);
            Set("clientRandom", clientRandom);
            Set("serverRandom", serverRandom);
        }

        public IRandomGenerator NonceRandomGenerator { get; } = new DigestRandomGenerator(new Org.BouncyCastle.Crypto.Digests.Sha256Digest());

        public SecureRandom SecureRandom { get; } = new();

        public SecurityParameters SecurityParameters { get; }

        public bool IsServer { get; }

        public ProtocolVersion ClientVersion => ProtocolVersion.DTLSv12;

        public ProtocolVersion ServerVersion => ProtocolVersion.DTLSv12;

        public TlsSession ResumableSession => null!;

        public object UserObject { get; set; } = new();

        public byte[] ExportKeyingMaterial(string asciiLabel, byte[] context_value, int length) => throw new NotSupportedException();

        private void Set(string field, object? value) =>
            typeof(SecurityParameters).GetField(field, BindingFlags.Instance | BindingFlags.NonPublic)!.SetValue(SecurityParameters, value);
    }
}
