using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using Tern.Coap.Diagnostics;
using Tern.Coap.Timing;
using Tern.Coap.Transport.Virtual;

namespace Tern.Coap.Tests.Diagnostics;

public class MermaidTextTests
{
    private static readonly SearchValues<char> LineBreaks = SearchValues.Create("\r\n\v\f\u0085\u2028\u2029");
    private static readonly SearchValues<char> LineBreaksButNewline = SearchValues.Create("\r\v\f\u0085\u2028\u2029");

    // Characters Mermaid's grammar treats specially, line breaks of every kind, and ordinary ones.
    private static Arbitrary<string> Labels() =>
        Gen.OneOf(
            ArbMap.Default.GeneratorFor<string>().Select(s => s ?? ""),
            Gen.ArrayOf(Gen.Elements(';', '#', '%', '&', '<', '>', ':', '\r', '\n', '\u2028', '\u0085', '\t', '\0', ' ', 'w', 'r', 'a', 'p', 'n', 'o', '5', '9'))
                .Select(chars => new string(chars)))
        .ToArbitrary();

    [Theory]
    [InlineData("CON POST /rd?ep=dev1&lt=300", "CON POST /rd?ep=dev1#amp;lt=300")]
    [InlineData("a;b", "a#59;b")]
    [InlineData("#1", "#35;1")]
    [InlineData("50%%", "50#37;#37;")]
    [InlineData("<b>", "#lt;b#gt;")]
    [InlineData("line one\r\nline two\nthree\u2028four", "line one<br/>line two<br/>three<br/>four")]
    [InlineData("tab\there\0", "tab here ")]
    [InlineData("wrap:text", "wrap#58;text")]
    [InlineData("NoWrap: x", "NoWrap#58; x")]
    [InlineData(":wrap:x", ":wrap#58;x")]
    [InlineData("a wrap: in the middle", "a wrap: in the middle")]
    [InlineData("", "(no label)")]
    [InlineData(" \n ", "(no label)")]
    public void Text_is_escaped_for_Mermaid(string text, string expected)
    {
        Assert.Equal(expected, MermaidText.Escape(text));
    }

    [Fact]
    public void Any_text_escapes_to_one_nonblank_line_without_separators_or_bare_hashes()
    {
        Prop.ForAll(Labels(), text =>
        {
            string escaped = MermaidText.Escape(text);
            return escaped.Trim().Length > 0
                && escaped.AsSpan().IndexOfAny(LineBreaks) < 0
                && HasOnlyEntitySemicolons(escaped)
                && HasOnlyEntityHashes(escaped);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(500));
    }

    [Fact]
    public async Task Any_label_renders_as_exactly_one_line_of_the_chart()
    {
        var clock = new VirtualTimeProvider();
        await using var network = new VirtualNetwork(clock);
        var recorder = new CoapMessageRecorder(clock);
        VirtualCoapTransport peer = network.CreateTransport();
        await using RecordingCoapTransport local = recorder.Wrap(network.CreateTransport());
        await local.SendAsync(peer.LocalEndPoint, new byte[] { 0x40, 0x00, 0x00, 0x01 });

        Prop.ForAll(Labels(), label =>
        {
            string chart = MermaidSequenceChart.Render(recorder, new MermaidChartOptions { Labeller = _ => label, ParticipantName = (_, _) => label });
            string[] lines = chart.Split('\n');
            // Header, two participants, the message, and the empty string after the final newline.
            return lines.Length == 5
                && lines[3].StartsWith("    P1->>P2: ", StringComparison.Ordinal)
                && chart.AsSpan().IndexOfAny(LineBreaksButNewline) < 0;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    // Every '#' must open an entity code such as #59; or #amp;, which Mermaid turns back into the character.
    private static bool HasOnlyEntityHashes(string text)
    {
        for (int i = text.IndexOf('#', StringComparison.Ordinal); i >= 0; i = text.IndexOf('#', i + 1))
        {
            int end = text.IndexOf(';', i);
            if (end < 0 || end == i + 1 || !text[(i + 1)..end].All(char.IsAsciiLetterOrDigit))
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasOnlyEntitySemicolons(string text)
    {
        for (int i = text.IndexOf(';', StringComparison.Ordinal); i >= 0; i = text.IndexOf(';', i + 1))
        {
            int start = text.LastIndexOf('#', i);
            if (start < 0 || !text[(start + 1)..i].All(char.IsAsciiLetterOrDigit) || start + 1 == i)
            {
                return false;
            }
        }

        return true;
    }
}
