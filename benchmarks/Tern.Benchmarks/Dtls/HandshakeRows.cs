using System.Globalization;

namespace Tern.Benchmarks.Dtls;

/// <summary>What one handshake, counted by a <see cref="HandshakeWireCounter"/>, put on the wire.</summary>
internal sealed record WireFigure(int Suite, long FromClient, long FromServer, long Datagrams, int HelloVerifyRequests, string? Resumption, int? ServerSessionIdLength)
{
    /// <summary>ClientHello to the last Finished, both ways (handshake and change_cipher_spec records, headers included).</summary>
    public long Bytes => FromClient + FromServer;

    /// <summary>Reads the counter; call once the handshake's last flight has passed it.</summary>
    public static WireFigure Of(HandshakeWireCounter counter) => new(
        counter.SelectedCipherSuite, counter.HandshakeBytesToServer, counter.HandshakeBytesToClient,
        counter.HandshakeDatagrams, counter.HelloVerifyRequests, counter.Resumption, counter.ServerSessionIdLength);

    /// <summary>Whether the server's ServerHello gave the client a session to offer later.</summary>
    public string SessionIssued => ServerSessionIdLength switch
    {
        null => "no ServerHello seen",
        0 => "server issued no session id (nothing to resume)",
        int length => $"server issued a session id of {length} bytes",
    };
}

/// <summary>
/// One row of a handshake table: wall times of the handshakes that were timed (none for libcoap runs, which are
/// counted only) and the wire figures of one counted handshake. <paramref name="Note"/> says what came of
/// resumption, or which side picked the suite.
/// </summary>
internal sealed record HandshakeRow(string Scenario, IReadOnlyList<double> Samples, WireFigure Wire, string Note = "")
{
    /// <summary>The median wall time in ms, or null for a row that was not timed.</summary>
    public double? Median => Percentile(0.5);

    /// <summary>The 90th percentile wall time in ms, or null for a row that was not timed.</summary>
    public double? P90 => Percentile(0.9);

    private double? Percentile(double p)
    {
        if (Samples.Count == 0)
        {
            return null;
        }

        double[] sorted = [.. Samples];
        Array.Sort(sorted);
        return sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * p))];
    }
}

/// <summary>Prints handshake rows in one layout for the PSK and certificate figures.</summary>
internal static class HandshakeTable
{
    public static void PrintHeader(string title)
    {
        Console.WriteLine(title);
        Console.WriteLine("scenario | suite | median ms | p90 ms | ClientHello..Finished bytes (client + server) | datagrams | HelloVerifyRequest | note");
    }

    public static void Print(HandshakeRow row)
    {
        WireFigure w = row.Wire;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{row.Scenario} | 0x{w.Suite:X4} | {Ms(row.Median)} | {Ms(row.P90)} | {w.Bytes} ({w.FromClient} + {w.FromServer}) | {w.Datagrams} | {(w.HelloVerifyRequests > 0 ? "yes" : "no")} | {row.Note}"));
    }

    /// <summary>Prints whether the Tern row took fewer handshake bytes than libcoap's own client and server in the same run.</summary>
    public static void PrintByteTarget(HandshakeRow tern, HandshakeRow libcoap) =>
        Console.WriteLine($"target, fewer bytes than libcoap <-> libcoap: {tern.Wire.Bytes} vs {libcoap.Wire.Bytes} ({(tern.Wire.Bytes < libcoap.Wire.Bytes ? "met" : "missed")}; {tern.Scenario} vs {libcoap.Scenario})");

    private static string Ms(double? value) => value is { } ms ? ms.ToString("F3", CultureInfo.InvariantCulture) : "-";
}
