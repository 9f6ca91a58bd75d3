namespace Tern.Lwm2m.Definitions.Ddf;

/// <summary>What a loaded XML document turned out to be.</summary>
public enum DdfDocumentKind
{
    /// <summary>
    /// An <c>LWM2M</c> document: object definitions and/or the registry's reusable
    /// (<c>ObjectType="CommonResources"</c>) resource list.
    /// </summary>
    Definitions,
    /// <summary>The OMA registry's index of objects (<c>DDFList</c> root): no definitions of its own.</summary>
    RegistryIndex,
    /// <summary>The OMA registry's SenML units table (<c>units</c> root): no definitions.</summary>
    UnitsTable,
}

/// <summary>Why a DDF document could not be loaded, and where.</summary>
/// <param name="Source">The file name or the source name the caller gave.</param>
/// <param name="Line">The 1-based line of the problem, or 0 when unknown (e.g. the file cannot be opened).</param>
/// <param name="Column">The 1-based column of the problem, or 0 when unknown.</param>
/// <param name="Message">What is wrong, in one line.</param>
public sealed record DdfLoadError(string Source, int Line, int Column, string Message)
{
    /// <summary>Formats as <c>source(line,column): message</c>, the shape compilers use.</summary>
    public override string ToString() => Line > 0 ? $"{Source}({Line},{Column}): {Message}" : $"{Source}: {Message}";
}

/// <summary>The outcome of loading one DDF document: its definitions, or the error that stopped it.</summary>
public sealed class DdfLoadResult
{
    private DdfLoadResult(string source, DdfDocumentKind kind, IReadOnlyList<ObjectDefinition> objects,
        IReadOnlyList<ResourceDefinition> commonResources, DdfLoadError? error)
    {
        Source = source;
        Kind = kind;
        Objects = objects;
        CommonResources = commonResources;
        Error = error;
    }

    /// <summary>Where the document came from.</summary>
    public string Source { get; }

    /// <summary>What the document is; meaningful when <see cref="IsSuccess"/>.</summary>
    public DdfDocumentKind Kind { get; }

    /// <summary>The object definitions, in document order (empty on failure).</summary>
    public IReadOnlyList<ObjectDefinition> Objects { get; }

    /// <summary>
    /// Reusable resources from an <c>Object</c> whose <c>ObjectType</c> is <c>CommonResources</c>
    /// (the registry's Common.xml). Their multiplicity and mandatory flags default to single and optional
    /// where the document leaves them out.
    /// </summary>
    public IReadOnlyList<ResourceDefinition> CommonResources { get; }

    /// <summary>The problem that stopped loading, or null.</summary>
    public DdfLoadError? Error { get; }

    /// <summary>True when the document loaded.</summary>
    public bool IsSuccess => Error is null;

    internal static DdfLoadResult Success(string source, DdfDocumentKind kind, IReadOnlyList<ObjectDefinition> objects, IReadOnlyList<ResourceDefinition> common) =>
        new(source, kind, objects, common, null);

    internal static DdfLoadResult Failure(DdfLoadError error) =>
        new(error.Source, DdfDocumentKind.Definitions, [], [], error);
}

/// <summary>The outcome of loading every <c>*.xml</c> file in a directory.</summary>
public sealed class DdfDirectoryLoadResult
{
    internal DdfDirectoryLoadResult(string directory, IReadOnlyList<DdfLoadResult> files, DdfLoadError? directoryError)
    {
        Directory = directory;
        Files = files;
        Errors = directoryError is not null ? [directoryError] : files.Where(f => f.Error is not null).Select(f => f.Error!).ToList();
        Objects = files.SelectMany(f => f.Objects).ToList();
    }

    /// <summary>The directory that was read.</summary>
    public string Directory { get; }

    /// <summary>One result per file, in ordinal file-name order.</summary>
    public IReadOnlyList<DdfLoadResult> Files { get; }

    /// <summary>Every object definition from the files that loaded.</summary>
    public IReadOnlyList<ObjectDefinition> Objects { get; }

    /// <summary>The errors: one per file that failed, or one for a directory that cannot be read.</summary>
    public IReadOnlyList<DdfLoadError> Errors { get; }

    /// <summary>True when the directory was read and every file loaded.</summary>
    public bool IsSuccess => Errors.Count == 0;
}

/// <summary>Limits that keep hostile or broken XML from costing unbounded time or memory.</summary>
public sealed class DdfLoaderOptions
{
    /// <summary>The default document limit: 4 MiB of characters (the largest registry file is about 0.25 MiB).</summary>
    public const long DefaultMaxDocumentCharacters = 4L * 1024 * 1024;

    /// <summary>The default element nesting limit (a DDF needs 4; the registry's index needs 2).</summary>
    public const int DefaultMaxDepth = 32;

    /// <summary>The most characters one document may hold; longer documents fail.</summary>
    public long MaxDocumentCharacters { get; init; } = DefaultMaxDocumentCharacters;

    /// <summary>The deepest element nesting a document may use; deeper documents fail.</summary>
    public int MaxDepth { get; init; } = DefaultMaxDepth;

    /// <summary>The default options.</summary>
    public static DdfLoaderOptions Default { get; } = new();

    internal void Validate()
    {
        if (MaxDocumentCharacters <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDocumentCharacters), MaxDocumentCharacters, "The document limit must be positive.");
        }

        if (MaxDepth < 4)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDepth), MaxDepth, "A DDF document nests 4 deep (LWM2M/Object/Resources/Item/field); allow at least 4.");
        }
    }
}
