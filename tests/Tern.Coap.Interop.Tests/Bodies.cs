using System.Text;

namespace Tern.Coap.Interop.Tests;

/// <summary>Payloads whose every block differs, so a misplaced, repeated or lost block shows up in a comparison.</summary>
internal static class Bodies
{
    /// <summary>Numbered text lines totalling exactly <paramref name="length"/> bytes.</summary>
    public static byte[] Numbered(int length, string tag = "line")
    {
        var text = new StringBuilder(length + 32);
        for (int i = 0; text.Length < length; i++)
        {
            text.Append(tag).Append(' ').Append(i.ToString("D5")).Append('\n');
        }

        return Encoding.ASCII.GetBytes(text.ToString(0, length));
    }
}
