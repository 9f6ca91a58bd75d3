using System.Net;

namespace Tern.Coap.Dtls.Tests.Support;

public static class Loopback
{
    public static readonly IPEndPoint AnyPort = new(IPAddress.Loopback, 0);

    /// <summary>A real-time bound that only stops a broken test from hanging; nothing asserts on it.</summary>
    public static CancellationTokenSource SafetyBound() => new(TimeSpan.FromSeconds(30));

    public static byte[] Key(string hex) => Convert.FromHexString(hex);
}
