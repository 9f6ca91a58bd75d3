using System.Xml;

namespace Tern.Lwm2m.Definitions.Ddf;

public sealed partial class DdfObjectLoader
{
    private sealed partial class Parser
    {
        /// <summary>The text fields of one element, with where each was found.</summary>
        private sealed class Fields(Parser parser)
        {
            private readonly Dictionary<string, (string Text, int Line, int Column)> _values = new(StringComparer.Ordinal);

            public void Read(string name, params ReadOnlySpan<string> wanted)
            {
                XmlReader r = parser.Reader;
                if (!wanted.Contains(name))
                {
                    parser.SkipElement();
                    return;
                }

                (int line, int column) = parser.Position();
                if (_values.ContainsKey(name))
                {
                    throw new DdfProblemException($"<{name}> appears twice.", line, column);
                }

                string text;
                try
                {
                    text = r.ReadElementContentAsString();
                }
                catch (XmlException) when (r.ReadState != ReadState.Error)
                {
                    throw new DdfProblemException($"<{name}> must hold text, not elements.", line, column);
                }

                _values[name] = (text.Trim(), line, column);
            }

            public bool Has(string name) => _values.ContainsKey(name);

            public (int Line, int Column) Position(string name) => _values.TryGetValue(name, out var v) ? (v.Line, v.Column) : (0, 0);

            public string Required(string name, int line, int column) =>
                _values.TryGetValue(name, out var v) ? v.Text : throw new DdfProblemException($"The <{name}> element is missing.", line, column);

            public string Optional(string name, string fallback) =>
                _values.TryGetValue(name, out var v) && v.Text.Length > 0 ? v.Text : fallback;
        }
    }
}
