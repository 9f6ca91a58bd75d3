using Tern.Coap.Messages;

namespace Tern.Coap.Tests.Messages;

/// <summary>Small helpers shared by the codec tests: hex parsing and message comparison.</summary>
internal static class Hex
{
    /// <summary>Parses hex written with optional spaces, e.g. <c>"40 01 7d34"</c>.</summary>
    public static byte[] Parse(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    /// <summary>ASCII bytes, for readable option values and payloads.</summary>
    public static byte[] Ascii(string text) => System.Text.Encoding.ASCII.GetBytes(text);

    /// <summary>Formats bytes as lower-case hex without separators (readable assertion messages).</summary>
    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>Asserts that two messages carry the same header, token, options (in order) and payload.</summary>
    public static void AssertSameMessage(CoapMessage expected, CoapMessage actual)
    {
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.Code, actual.Code);
        Assert.Equal(expected.MessageId, actual.MessageId);
        AssertSameBytes(expected.Token.Span, actual.Token.Span, "token");
        Assert.Equal(expected.Options.Count, actual.Options.Count);
        for (int i = 0; i < expected.Options.Count; i++)
        {
            Assert.Equal(expected.Options[i].Number, actual.Options[i].Number);
            AssertSameBytes(expected.Options[i].Value.Span, actual.Options[i].Value.Span, $"option #{i}");
        }

        AssertSameBytes(expected.Payload.Span, actual.Payload.Span, "payload");
    }

    // Compares cheaply; formats hex only when the comparison fails.
    private static void AssertSameBytes(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, string what)
    {
        if (!expected.SequenceEqual(actual))
        {
            Assert.Fail($"{what}: expected {Of(expected)}, got {Of(actual)}");
        }
    }
}
