using Tern.Coap.Dtls;

namespace Tern.Benchmarks.Dtls;

/// <summary>
/// Certificate handshake cost with mutual authentication (a P-256 CA issuing a server and a client leaf, <see cref="BenchPki"/>):
/// median and p90 wall time over N handshakes, full and resumed (the client offers its cached session), for
/// TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 and _AES_128_GCM_SHA256 over loopback, and the bytes on the wire both ways,
/// next to libcoap's client and server with the same certificates in the same run. Same harness as the PSK figures.
/// Run: dotnet run -c Release --project benchmarks/Tern.Benchmarks -- dtls-cert [N]
/// </summary>
public static class DtlsCertHandshakeFigures
{
    public static async Task RunAsync(string[] args)
    {
        int n = TernHandshakeRuns.Count(args);
        using var pki = new BenchPki();
        HandshakeServer[] servers =
        [
            new("Tern native server (default options)", pki.ServerOptions()),
            new("BouncyCastle server (UseNativeCertificates=false)", new DtlsServerOptions { Certificate = pki.ServerCredentials, TrustedClientCertificates = [pki.Ca], UseNativeCertificates = false }),
        ];
        HandshakeClient[] clients =
        [
            new("ECDHE_ECDSA_AES_128_CCM_8", () => pki.ClientOptions(DtlsCipherSuite.EcdheEcdsaWithAes128Ccm8)),
            new("ECDHE_ECDSA_AES_128_GCM_SHA256", () => pki.ClientOptions(DtlsCipherSuite.EcdheEcdsaWithAes128GcmSha256)),
        ];

        HandshakeTable.PrintHeader($"Certificate (P-256 CA + leaves, mutual) handshakes over loopback: median and p90 of {n} (after {TernHandshakeRuns.Warmup} warm-up); bytes of one more, counted");
        List<HandshakeRow> tern = await TernHandshakeRuns.RunAsync(servers, clients, n);
        // Whether the Tern client offers a cached certificate session to a server that issues one.
        await using (LibcoapDtls openSsl = await LibcoapDtls.StartServerAsync(pki.LibcoapServerArguments, pki.ClientOptions(DtlsCipherSuite.EcdheEcdsaWithAes128Ccm8)))
        {
            await TernHandshakeRuns.MeasureAsync("coap-server-openssl", openSsl.EndPoint, clients[0], n);
        }

        (HandshakeRow libcoap, _) = await LibcoapDtls.RunRowsAsync(servers[0],
            pki.LibcoapServerArguments, pki.LibcoapClientArguments, pki.ClientOptions(DtlsCipherSuite.EcdheEcdsaWithAes128Ccm8));

        foreach (HandshakeRow row in tern.Take(2 * clients.Length))
        {
            HandshakeTable.PrintByteTarget(row, libcoap);
        }
    }
}
