using System.Text;

namespace Tern.Coap.Diagnostics;

/// <summary>
/// Makes any text safe as a Mermaid label, participant name or note: one line, and none of the characters the
/// <c>sequenceDiagram</c> grammar reads as syntax.
/// </summary>
public static class MermaidText
{
    /// <summary>What an empty or blank text becomes (Mermaid needs at least one character after the colon).</summary>
    public const string Blank = "(no label)";

    /// <summary>
    /// Escapes <paramref name="text"/>: <c>#</c> and <c>;</c> (a comment and a statement separator in Mermaid),
    /// <c>%</c>, <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> become Mermaid entity codes (<c>#35;</c>, <c>#59;</c>, …);
    /// line breaks of any kind become <c>&lt;br/&gt;</c>, other control characters a space, and a leading
    /// <c>wrap:</c>/<c>nowrap:</c> loses its meaning as a directive.
    /// </summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Blank;
        }

        var result = new StringBuilder(text.Length + 16);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '#':
                    result.Append("#35;");
                    break;
                case ';':
                    result.Append("#59;");
                    break;
                case '%':
                    result.Append("#37;");
                    break;
                case '&':
                    result.Append("#amp;");
                    break;
                case '<':
                    result.Append("#lt;");
                    break;
                case '>':
                    result.Append("#gt;");
                    break;
                case '\r':
                    result.Append("<br/>");
                    if (i + 1 < text.Length && text[i + 1] == '\n')
                    {
                        i++;
                    }

                    break;
                case '\n' or '\v' or '\f' or '\u0085' or '\u2028' or '\u2029':
                    result.Append("<br/>");
                    break;
                default:
                    result.Append(char.IsControl(c) ? ' ' : c);
                    break;
            }
        }

        NeutralizeDirective(result);
        string escaped = result.ToString();
        return string.IsNullOrWhiteSpace(escaped) ? Blank : escaped;
    }

    // "wrap:" or "nowrap:" at the start of a text switches text wrapping in Mermaid and vanishes from the label.
    private static void NeutralizeDirective(StringBuilder text)
    {
        int start = 0;
        while (start < text.Length && text[start] == ' ')
        {
            start++;
        }

        // Mermaid also accepts one more colon before the directive (":wrap:").
        if (start < text.Length && text[start] == ':')
        {
            start++;
        }

        foreach (string directive in (ReadOnlySpan<string>)["wrap:", "nowrap:"])
        {
            if (text.Length - start >= directive.Length
                && text.ToString(start, directive.Length).Equals(directive, StringComparison.OrdinalIgnoreCase))
            {
                int colon = start + directive.Length - 1;
                text.Remove(colon, 1).Insert(colon, "#58;");
                return;
            }
        }
    }
}
