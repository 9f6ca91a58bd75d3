using System.Text;
using Tern.Coap.Dtls.Tests.Support;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;

namespace Tern.Coap.Dtls.Tests.Interop;

/// <summary>Block-wise transfers (RFC 7959) between coap-client-openssl and Tern's CoapEndpoint, over DTLS.</summary>
public sealed class LibcoapBlockwiseInteropTests
{
    [Fact]
    public async Task Coap_client_openssl_puts_and_gets_a_large_body_block_wise_from_a_tern_endpoint_over_dtls()
    {
        using var bound = Loopback.SafetyBound();
        using var files = new TempFiles();
        string text = string.Concat(Enumerable.Range(0, 300).Select(i => $"line {i:D4}|"));
        byte[] stored = [];
        var resources = new CoapResourceServer().Map("/blob", new CoapResource
        {
            Get = (_, _) => ValueTask.FromResult(new CoapResponse(CoapCode.Content, stored)),
            Put = (r, _) =>
            {
                stored = r.Request.Payload.ToArray();
                return ValueTask.FromResult(new CoapResponse(CoapCode.Changed));
            },
        });
        await using DtlsServerTransport transport = DtlsServerTransport.Bind(Loopback.AnyPort, new DtlsServerOptions
        {
            PskStore = new DtlsPskStore().Set("blockwise", Encoding.ASCII.GetBytes("blockwise-key")),
        });
        await using CoapEndpoint server = await CoapEndpoint.StartAsync(transport, new CoapEndpointOptions { Handler = resources });
        string uri = $"coaps://127.0.0.1:{transport.LocalEndPoint.EndPoint.Port}/blob";
        string[] psk = ["-u", "blockwise", "-k", "blockwise-key", "-B", "10", "-b", "64"];

        await using (var put = LibcoapProcess.Start("coap-client-openssl", [.. psk, "-m", "put", "-f", files.Write("body.txt", text), uri]))
        {
            await put.WaitForExitAsync(bound.Token);
        }

        Assert.Equal(text, Encoding.UTF8.GetString(stored));
        await using var get = LibcoapProcess.Start("coap-client-openssl", [.. psk, uri]);
        string output = await get.WaitForExitAsync(bound.Token);
        Assert.Contains(text, output, StringComparison.Ordinal);
    }
}
