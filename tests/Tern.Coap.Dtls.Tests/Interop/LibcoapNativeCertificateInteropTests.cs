using System.Text;
using Tern.Coap.Dtls.Tests.Support;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Xunit.Abstractions;

namespace Tern.Coap.Dtls.Tests.Interop;

/// <summary>
/// libcoap's clients (OpenSSL and GnuTLS builds) with certificates against the native engine behind a Tern CoapEndpoint:
/// each must pass the cookie exchange, settle on the ECDHE_ECDSA suite the server allows (CCM_8 or GCM), present a certificate the server maps by
/// its common name, and fetch a small and a block-wise body.
/// </summary>
public sealed class LibcoapNativeCertificateInteropTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("coap-client-openssl", DtlsCipherSuite.EcdheEcdsaWithAes128Ccm8)]
    [InlineData("coap-client-openssl", DtlsCipherSuite.EcdheEcdsaWithAes128GcmSha256)]
    [InlineData("coap-client-gnutls", DtlsCipherSuite.EcdheEcdsaWithAes128Ccm8)]
    [InlineData("coap-client-gnutls", DtlsCipherSuite.EcdheEcdsaWithAes128GcmSha256)]
    public async Task Libcoap_client_with_a_certificate_gets_a_small_and_a_block_wise_body_through_the_native_engine(string tool, DtlsCipherSuite suite)
    {
        using var bound = Loopback.SafetyBound();
        using var files = new TempFiles();
        TestIdentity ca = TestCertificates.CreateCa("Native Interop CA");
        TestIdentity serverIdentity = TestCertificates.CreateLeaf("localhost", ca, dnsName: "localhost");
        TestIdentity clientIdentity = TestCertificates.CreateLeaf("libcoap-native-cert", ca);
        string large = string.Concat(Enumerable.Range(0, 250).Select(i => $"row {i:D4};"));
        var resources = new CoapResourceServer()
            .Map("/small", new CoapResource { Get = (_, _) => ValueTask.FromResult(new CoapResponse(CoapCode.Content, "native cert hello"u8.ToArray())) })
            .Map("/large", new CoapResource { Get = (_, _) => ValueTask.FromResult(new CoapResponse(CoapCode.Content, Encoding.UTF8.GetBytes(large))) });
        await using DtlsServerTransport transport = DtlsServerTransport.Bind(Loopback.AnyPort, new DtlsServerOptions
        {
            Certificate = serverIdentity.Credentials(),
            TrustedClientCertificates = [ca.Certificate],
            CipherSuites = [suite], // the server picks the suite; with both allowed, both libcoap builds settle on CCM_8
        });
        var sessions = new List<DtlsSessionEventArgs>();
        transport.SessionEstablished += (_, e) => { lock (sessions) { sessions.Add(e); } };
        var failures = new List<string>();
        transport.HandshakeFailed += (_, e) => { lock (failures) { failures.Add($"{e.Error.Kind}: {e.Error.Message}"); } };
        await using CoapEndpoint server = await CoapEndpoint.StartAsync(transport, new CoapEndpointOptions { Handler = resources });
        string prefix = $"coaps://127.0.0.1:{transport.LocalEndPoint.EndPoint.Port}";
        string[] certificate =
        [
            "-c", files.Write("client.pem", clientIdentity.CertificatePem), "-j", files.Write("client.key", clientIdentity.PrivateKeyPem),
            "-C", files.Write("ca.pem", ca.CertificatePem), "-B", "10",
        ];

        string small;
        await using (var get = LibcoapProcess.Start(tool, [.. certificate, prefix + "/small"]))
        {
            small = await get.WaitForExitAsync(bound.Token);
        }

        string blockwise;
        await using (var get = LibcoapProcess.Start(tool, [.. certificate, "-b", "64", prefix + "/large"]))
        {
            blockwise = await get.WaitForExitAsync(bound.Token);
        }

        Assert.Contains("native cert hello", small, StringComparison.Ordinal);
        Assert.Contains(large, blockwise, StringComparison.Ordinal);
        Assert.True(transport.HelloVerifyRequestsSent >= 2, $"{transport.HelloVerifyRequestsSent} HelloVerifyRequests");
        lock (failures)
        {
            Assert.Empty(failures);
        }

        lock (sessions)
        {
            output.WriteLine($"{tool}: {string.Join(", ", sessions.Select(s => s.Info.CipherSuite))}");
            Assert.Equal(2, sessions.Count);
            Assert.All(sessions, s => Assert.Equal(suite, s.Info.CipherSuite));
            Assert.All(sessions, s => Assert.Equal("libcoap-native-cert", s.Info.CommonName));
        }
    }

    [Fact]
    public async Task Coap_client_gnutls_with_a_certificate_from_an_unknown_ca_is_refused_by_the_native_engine()
    {
        using var bound = Loopback.SafetyBound();
        using var files = new TempFiles();
        TestIdentity ca = TestCertificates.CreateCa("Native Interop CA");
        TestIdentity serverIdentity = TestCertificates.CreateLeaf("localhost", ca, dnsName: "localhost");
        TestIdentity rogue = TestCertificates.CreateLeaf("rogue-device", TestCertificates.CreateCa("Rogue CA"));
        await using DtlsServerTransport transport = DtlsServerTransport.Bind(Loopback.AnyPort, new DtlsServerOptions
        {
            Certificate = serverIdentity.Credentials(),
            TrustedClientCertificates = [ca.Certificate],
        });
        var failed = new TaskCompletionSource<DtlsErrorKind>(TaskCreationOptions.RunContinuationsAsynchronously);
        transport.HandshakeFailed += (_, e) => failed.TrySetResult(e.Error.Kind);

        await using var get = LibcoapProcess.Start("coap-client-gnutls",
        [
            "-c", files.Write("client.pem", rogue.CertificatePem), "-j", files.Write("client.key", rogue.PrivateKeyPem),
            "-C", files.Write("ca.pem", ca.CertificatePem), "-B", "5", $"coaps://127.0.0.1:{transport.LocalEndPoint.EndPoint.Port}/x",
        ]);
        await get.WaitForExitAsync(bound.Token);

        Assert.Equal(DtlsErrorKind.UntrustedCertificate, await failed.Task.WaitAsync(bound.Token));
        Assert.Equal(0, transport.PeerCount);
        Assert.True(transport.HelloVerifyRequestsSent >= 1);
    }
}
