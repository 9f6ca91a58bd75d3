namespace Tern.Lwm2m.Formats.Cbor;

/// <summary>What the next token of a <see cref="CborReader"/> is (RFC 8949 §3).</summary>
public enum CborReaderState
{
    /// <summary>The input is bad or ends early; <see cref="CborReader.Error"/> says why.</summary>
    Invalid = 0,
    /// <summary>The top-level data item has been read completely.</summary>
    Finished,
    /// <summary>Major type 0.</summary>
    UnsignedInteger,
    /// <summary>Major type 1.</summary>
    NegativeInteger,
    /// <summary>Major type 2, definite or indefinite length.</summary>
    ByteString,
    /// <summary>Major type 3, definite or indefinite length.</summary>
    TextString,
    /// <summary>Major type 4.</summary>
    StartArray,
    /// <summary>The end of the current array (its count is used up, or a break byte follows).</summary>
    EndArray,
    /// <summary>Major type 5.</summary>
    StartMap,
    /// <summary>The end of the current map.</summary>
    EndMap,
    /// <summary>Major type 6.</summary>
    Tag,
    /// <summary>Simple value 20 or 21.</summary>
    Boolean,
    /// <summary>Simple value 22.</summary>
    Null,
    /// <summary>Simple value 23.</summary>
    Undefined,
    /// <summary>Any other simple value (0–19, 32–255).</summary>
    SimpleValue,
    /// <summary>IEEE 754 binary16.</summary>
    HalfFloat,
    /// <summary>IEEE 754 binary32.</summary>
    SingleFloat,
    /// <summary>IEEE 754 binary64.</summary>
    DoubleFloat,
}

/// <summary>What is wrong with CBOR input, or with how the caller asked to read it.</summary>
public enum CborErrorKind
{
    /// <summary>No error.</summary>
    None = 0,
    /// <summary>The input ends inside a data item (or is empty).</summary>
    Truncated,
    /// <summary>
    /// The bytes are not well-formed CBOR: reserved additional information 28–30, indefinite length on
    /// a type that has none, a break byte outside an indefinite container, a string chunk of the wrong type,
    /// a two-byte simple value below 32, or a map ending between a key and its value.
    /// </summary>
    Malformed,
    /// <summary>Arrays and maps nest deeper than the reader's limit.</summary>
    NestingTooDeep,
    /// <summary>A length or count cannot fit in memory (over <see cref="int.MaxValue"/>) or exceeds the bytes left.</summary>
    TooLarge,
    /// <summary>A text string is not well-formed UTF-8.</summary>
    InvalidUtf8,
    /// <summary>The caller asked for one type and the next item is another.</summary>
    UnexpectedType,
    /// <summary>An integer does not fit the requested .NET type.</summary>
    Overflow,
}

/// <summary>A CBOR reading error: what, and at which byte offset of the input.</summary>
/// <param name="Kind">The kind of problem.</param>
/// <param name="Offset">The byte offset of the data item (or byte) where it was found.</param>
/// <param name="Message">A one-line explanation.</param>
public readonly record struct CborError(CborErrorKind Kind, int Offset, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Kind} at offset {Offset}: {Message}";
}
