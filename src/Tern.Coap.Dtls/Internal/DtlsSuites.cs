namespace Tern.Coap.Dtls;

internal static class DtlsSuites
{
    public static bool IsPsk(DtlsCipherSuite suite) =>
        suite is DtlsCipherSuite.PskWithAes128Ccm8 or DtlsCipherSuite.PskWithAes128CbcSha256;

    public static int[] ToBouncyCastle(IReadOnlyList<DtlsCipherSuite> suites, bool psk) =>
        [.. suites.Where(s => IsPsk(s) == psk).Select(s => (int)s)];
}
