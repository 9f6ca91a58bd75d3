using System.Text;
using Tern.Coap.Dtls.Tests.Support;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;

namespace Tern.Coap.Dtls.Tests.Interop;

/// <summary>
/// libcoap's clients (OpenSSL and GnuTLS builds) against the native PSK engine behind a Tern CoapEndpoint: the
/// client must pass the cookie exchange, settle on TLS_PSK_WITH_AES_128_CCM_8, and fetch a small and a block-wise body.
/// </summary>
public sealed class LibcoapNativePskInteropTests
{
    private const string Identity = "native-device";
    private const string Key = "native-psk-key";

    [Theory]
    [InlineData("coap-client-openssl")]
    [InlineData("coap-client-gnutls")]
    public async Task Libcoap_client_gets_a_small_and_a_block_wise_body_through_the_native_engine(string tool)
    {
        using var bound = Loopback.SafetyBound();
        string large = string.Concat(Enumerable.Range(0, 250).Select(i => $"row {i:D4};"));
        var resources = new CoapResourceServer()
            .Map("/small", new CoapResource { Get = (_, _) => ValueTask.FromResult(new CoapResponse(CoapCode.Content, "native hello"u8.ToArray())) })
            .Map("/large", new CoapResource { Get = (_, _) => ValueTask.FromResult(new CoapResponse(CoapCode.Content, Encoding.UTF8.GetBytes(large))) });
        await using DtlsServerTransport transport = DtlsServerTransport.Bind(Loopback.AnyPort, new DtlsServerOptions
        {
            PskStore = new DtlsPskStore().Set(Identity, Encoding.ASCII.GetBytes(Key)),
        });
        var sessions = new List<DtlsSessionEventArgs>();
        transport.SessionEstablished += (_, e) => { lock (sessions) { sessions.Add(e); } };
        await using CoapEndpoint server = await CoapEndpoint.StartAsync(transport, new CoapEndpointOptions { Handler = resources });
        string prefix = $"coaps://127.0.0.1:{transport.LocalEndPoint.EndPoint.Port}";
        string[] psk = ["-u", Identity, "-k", Key, "-B", "10"];

        string small;
        await using (var get = LibcoapProcess.Start(tool, [.. psk, prefix + "/small"]))
        {
            small = await get.WaitForExitAsync(bound.Token);
        }

        string blockwise;
        await using (var get = LibcoapProcess.Start(tool, [.. psk, "-b", "64", prefix + "/large"]))
        {
            blockwise = await get.WaitForExitAsync(bound.Token);
        }

        Assert.Contains("native hello", small, StringComparison.Ordinal);
        Assert.Contains(large, blockwise, StringComparison.Ordinal);
        Assert.True(transport.HelloVerifyRequestsSent >= 2, $"{transport.HelloVerifyRequestsSent} HelloVerifyRequests");
        lock (sessions)
        {
            Assert.Equal(2, sessions.Count);
            Assert.All(sessions, s => Assert.Equal(DtlsCipherSuite.PskWithAes128Ccm8, s.Info.CipherSuite));
            Assert.All(sessions, s => Assert.Equal(Identity, s.Info.PskIdentity));
        }
    }

    [Theory]
    [InlineData("coap-client-openssl")]
    [InlineData("coap-client-gnutls")]
    public async Task Libcoap_client_with_a_wrong_key_is_refused_by_the_native_engine_with_a_decrypt_error(string tool)
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport transport = DtlsServerTransport.Bind(Loopback.AnyPort, new DtlsServerOptions
        {
            PskStore = new DtlsPskStore().Set(Identity, Encoding.ASCII.GetBytes(Key)),
        });
        var failed = new TaskCompletionSource<DtlsErrorKind>(TaskCreationOptions.RunContinuationsAsynchronously);
        transport.HandshakeFailed += (_, e) => failed.TrySetResult(e.Error.Kind);

        await using var get = LibcoapProcess.Start(tool, ["-u", Identity, "-k", "not-the-key", "-B", "5", $"coaps://127.0.0.1:{transport.LocalEndPoint.EndPoint.Port}/x"]);
        await get.WaitForExitAsync(bound.Token);

        Assert.Equal(DtlsErrorKind.DecryptError, await failed.Task.WaitAsync(bound.Token));
        Assert.Equal(0, transport.PeerCount);
    }
}
