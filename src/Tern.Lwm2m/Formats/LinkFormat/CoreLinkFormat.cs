using System.Buffers;
using System.Text;

namespace Tern.Lwm2m.Formats.LinkFormat;

/// <summary>
/// Parses and writes RFC 6690 link-format payloads as LwM2M uses them (Register, Discover, Bootstrap-Discover):
/// <c>&lt;/&gt;;rt="oma.lwm2m";ct=110,&lt;/1/0&gt;,&lt;/3&gt;;ver=1.1</c>. Values may be tokens or quoted strings
/// with backslash escapes; parameters may have no value. Whitespace after commas is tolerated, as peers send it.
/// Errors carry the byte offset in the payload; link and parameter counts are capped by <see cref="CoreLinkLimits"/>.
/// </summary>
public static class CoreLinkFormat
{
    /// <summary>Parses UTF-8 link-format text.</summary>
    public static Lwm2mCodecResult<IReadOnlyList<CoreLink>> Parse(ReadOnlySpan<byte> utf8, CoreLinkLimits? limits = null) =>
        new CoreLinkParser(utf8, limits ?? CoreLinkLimits.Default).ParseAll();

    /// <summary>Parses link-format text (offsets in errors count UTF-8 bytes).</summary>
    public static Lwm2mCodecResult<IReadOnlyList<CoreLink>> Parse(string text, CoreLinkLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Parse(Encoding.UTF8.GetBytes(text), limits);
    }

    /// <summary>Writes <paramref name="links"/> as link format into <paramref name="output"/>.</summary>
    public static void Write(IReadOnlyList<CoreLink> links, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(links);
        ArgumentNullException.ThrowIfNull(output);
        for (int k = 0; k < links.Count; k++)
        {
            if (k > 0)
            {
                Put(output, ",");
            }

            Put(output, "<");
            Put(output, links[k].Target);
            Put(output, ">");
            foreach (CoreLinkParameter parameter in links[k].Parameters)
            {
                Put(output, ";");
                Put(output, parameter.Name);
                if (parameter.Value is not { } value)
                {
                    continue;
                }

                Put(output, "=");
                if (!parameter.Quoted && IsToken(value))
                {
                    Put(output, value);
                    continue;
                }

                Put(output, "\"");
                int start = 0;
                for (int c = 0; c < value.Length; c++)
                {
                    if (value[c] is '"' or '\\')
                    {
                        Put(output, value.AsSpan(start, c - start));
                        Put(output, "\\");
                        start = c;
                    }
                }

                Put(output, value.AsSpan(start));
                Put(output, "\"");
            }
        }
    }

    /// <summary>The link-format text of <paramref name="links"/>.</summary>
    public static string Format(IReadOnlyList<CoreLink> links)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(links, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Put(IBufferWriter<byte> output, ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }

        int written = Encoding.UTF8.GetBytes(text, output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length)));
        output.Advance(written);
    }

    /// <summary>RFC 6690 ptokenchar: printable ASCII except space, '"', ',', ';' and '\'.</summary>
    internal static bool IsTokenChar(int c) => c is > 0x20 and < 0x7F and not ('"' or ',' or ';' or '\\');

    /// <summary>RFC 6690 parmname characters.</summary>
    internal static bool IsNameChar(int c) => char.IsAsciiLetterOrDigit((char)c) || c is '!' or '#' or '$' or '&' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';

    private static bool IsToken(string value)
    {
        if (value.Length == 0)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!IsTokenChar(c))
            {
                return false;
            }
        }

        return true;
    }
}
