using System.Text;
using System.Xml;

namespace Tern.Lwm2m.Definitions.Ddf;

/// <summary>
/// Loads OMA LwM2M object definitions (DDF XML, both the <c>LWM2M.xsd</c> and <c>LWM2M-v1_1.xsd</c>
/// shapes) from a stream, a string, a file or a directory. Bad input never throws: every problem comes
/// back as a <see cref="DdfLoadError"/> naming the source, line and column. DTDs are refused, external
/// resources are never fetched, and document size and nesting are capped by <see cref="DdfLoaderOptions"/>.
/// </summary>
/// <remarks>
/// The loader is lenient where the registry's own files vary and strict where a wrong guess would give
/// a wrong model. Lenient: child elements in any order; unknown elements ignored; missing
/// <c>ObjectVersion</c>/<c>LWM2MVersion</c> read as "1.0"; missing <c>RangeEnumeration</c>/<c>Units</c>/
/// <c>Description</c> read as empty; surrounding whitespace trimmed from every field; a byte-order mark
/// accepted. Strict: unknown <c>Type</c>, <c>Operations</c>, <c>MultipleInstances</c> or <c>Mandatory</c>
/// values; ids that are not decimal numbers in 0–65534; duplicate resource or object ids; missing
/// required elements.
/// </remarks>
public sealed partial class DdfObjectLoader
{
    private readonly DdfLoaderOptions _options;

    /// <summary>Creates a loader with the given limits (or the defaults).</summary>
    public DdfObjectLoader(DdfLoaderOptions? options = null)
    {
        _options = options ?? DdfLoaderOptions.Default;
        _options.Validate();
    }

    /// <summary>A loader with the default limits.</summary>
    public static DdfObjectLoader Default { get; } = new();

    /// <summary>Loads one document from a stream (its encoding is read from the BOM or XML declaration).</summary>
    /// <param name="stream">The XML bytes; left open.</param>
    /// <param name="sourceName">The name errors report, e.g. a file or resource name.</param>
    public DdfLoadResult Load(Stream stream, string sourceName = "<stream>")
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        return Run(sourceName, settings => XmlReader.Create(stream, settings));
    }

    /// <summary>Loads one document from XML text (a leading byte-order mark character is ignored).</summary>
    /// <param name="xml">The XML text.</param>
    /// <param name="sourceName">The name errors report.</param>
    public DdfLoadResult LoadString(string xml, string sourceName = "<string>")
    {
        ArgumentNullException.ThrowIfNull(xml);
        ArgumentNullException.ThrowIfNull(sourceName);
        string text = xml.StartsWith('\uFEFF') ? xml[1..] : xml;
        return Run(sourceName, settings => XmlReader.Create(new StringReader(text), settings));
    }

    /// <summary>Loads one file. A file that cannot be opened is reported as an error, not thrown.</summary>
    /// <param name="path">The file path; errors name it as given.</param>
    public DdfLoadResult LoadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 16 * 1024, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return DdfLoadResult.Failure(new DdfLoadError(path, 0, 0, $"Cannot open the file: {e.Message}"));
        }

        using (stream)
        {
            return Load(stream, path);
        }
    }

    /// <summary>
    /// Loads every file matching <paramref name="searchPattern"/> in <paramref name="directory"/> (not its
    /// subdirectories), in ordinal name order. One bad file does not stop the others.
    /// </summary>
    public DdfDirectoryLoadResult LoadDirectory(string directory, string searchPattern = "*.xml")
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(searchPattern);
        string[] files;
        try
        {
            files = Directory.GetFiles(directory, searchPattern, SearchOption.TopDirectoryOnly);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return new DdfDirectoryLoadResult(directory, [], new DdfLoadError(directory, 0, 0, $"Cannot read the directory: {e.Message}"));
        }

        Array.Sort(files, StringComparer.Ordinal);
        return new DdfDirectoryLoadResult(directory, files.Select(LoadFile).ToList(), null);
    }

    private XmlReaderSettings CreateSettings() => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = _options.MaxDocumentCharacters,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        CloseInput = false,
    };

    private DdfLoadResult Run(string source, Func<XmlReaderSettings, XmlReader> open)
    {
        XmlReader? reader = null;
        try
        {
            reader = open(CreateSettings());
            return new Parser(reader, source, _options.MaxDepth).ParseDocument();
        }
        catch (DdfProblemException p)
        {
            return DdfLoadResult.Failure(new DdfLoadError(source, p.Line, p.Column, p.Message));
        }
        catch (XmlException e)
        {
            // A refused DTD comes without a position (line 0): the message then says it sits in the prolog.
            (int line, int column) = e.LineNumber > 0 ? (e.LineNumber, e.LinePosition)
                : reader is IXmlLineInfo { LineNumber: > 0 } info ? (info.LineNumber, info.LinePosition) : (0, 0);
            return DdfLoadResult.Failure(new DdfLoadError(source, line, column, Describe(e)));
        }
        catch (Exception e) when (e is DecoderFallbackException or IOException or ArgumentException)
        {
            return DdfLoadResult.Failure(new DdfLoadError(source, 0, 0, $"The document cannot be read: {e.Message}"));
        }
        finally
        {
            reader?.Dispose();
        }
    }

    private static string Describe(XmlException e)
    {
        // XmlException appends " Line x, position y." to its message; the error carries those separately.
        string message = e.Message;
        int at = message.LastIndexOf(" Line ", StringComparison.Ordinal);
        message = at > 0 ? message[..at] : message;
        return message.Contains("DTD", StringComparison.OrdinalIgnoreCase)
            ? $"A <!DOCTYPE> in the prolog, before the root element: DTDs are not allowed in DDF documents (their entities can expand without bound). {message}"
            : $"Not well-formed XML: {message}";
    }

    /// <summary>A problem in a well-formed document; carries its position. Never leaves the loader.</summary>
    private sealed class DdfProblemException(string message, int line, int column) : Exception(message)
    {
        public int Line { get; } = line;

        public int Column { get; } = column;
    }
}
