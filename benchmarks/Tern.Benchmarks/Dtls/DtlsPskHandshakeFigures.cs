using System.Globalization;
using Tern.Coap.Dtls;

namespace Tern.Benchmarks.Dtls;

/// <summary>
/// PSK handshake cost: median and p90 wall time over N handshakes (full, and resumed after the client closed its
/// session) over loopback, and the bytes on the wire both ways counted by a relay, for the native server engine and
/// BouncyCastle's, next to libcoap's client and server in the same run (<see cref="TernHandshakeRuns"/>, <see cref="LibcoapDtls"/>).
/// Run: dotnet run -c Release --project benchmarks/Tern.Benchmarks -- dtls-psk [N]
/// </summary>
public static class DtlsPskHandshakeFigures
{
    public static async Task RunAsync(string[] args)
    {
        int n = TernHandshakeRuns.Count(args);
        HandshakeServer[] servers =
        [
            new("Tern native server", DtlsBenchSetup.PskServer()),
            new("BouncyCastle server (UseNativePsk=false)", new DtlsServerOptions { PskStore = new DtlsPskStore().Set("bench-device", DtlsBenchSetup.PskKey), UseNativePsk = false }),
        ];
        HandshakeTable.PrintHeader($"PSK TLS_PSK_WITH_AES_128_CCM_8 handshakes over loopback: median and p90 of {n} (after {TernHandshakeRuns.Warmup} warm-up); bytes of one more, counted");
        List<HandshakeRow> tern = await TernHandshakeRuns.RunAsync(servers, [new("", () => DtlsBenchSetup.PskClient())], n);
        (HandshakeRow libcoap, _) = await LibcoapDtls.RunRowsAsync(servers[0],
            ["-k", DtlsBenchSetup.PskKeyText], ["-u", "bench-device", "-k", DtlsBenchSetup.PskKeyText], DtlsBenchSetup.PskClient());

        HandshakeRow resumed = tern[1];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"target, resumed PSK handshake under 2 ms: median {resumed.Median:F3} ms ({(resumed.Median < 2 ? "met" : "missed")}; {resumed.Scenario})"));
        HandshakeTable.PrintByteTarget(tern[0], libcoap);
        HandshakeTable.PrintByteTarget(resumed, libcoap);
    }
}
