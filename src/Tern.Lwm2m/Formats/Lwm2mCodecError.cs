namespace Tern.Lwm2m.Formats;

/// <summary>What is wrong with a payload or with a request to encode one.</summary>
public enum Lwm2mCodecErrorKind
{
    /// <summary>The payload ends early.</summary>
    Truncated,
    /// <summary>The bytes do not follow the format's grammar.</summary>
    Malformed,
    /// <summary>A value does not fit the resource's type (e.g. text where an integer belongs).</summary>
    TypeMismatch,
    /// <summary>Structures nest deeper than the decoder allows.</summary>
    NestingTooDeep,
    /// <summary>A length, count or value exceeds what the decoder accepts.</summary>
    TooLarge,
    /// <summary>A path is invalid, or a record's path lies outside the request path.</summary>
    InvalidPath,
    /// <summary>The decoded content does not fit the request path (wrong level or id).</summary>
    PathMismatch,
    /// <summary>The object or resource is not known, so its type cannot be learnt.</summary>
    UnknownResource,
    /// <summary>The format cannot carry this node or this request (e.g. an instance as text/plain).</summary>
    Unsupported,
}

/// <summary>
/// A typed codec error: the kind, a message that says what is wrong, and the byte (or character)
/// offset where it was found, or -1. Engines map it to CoAP codes with <see cref="SuggestedCoapCode"/>.
/// </summary>
/// <param name="Kind">The kind of problem.</param>
/// <param name="Message">A one-line human explanation.</param>
/// <param name="Offset">Where in the payload the problem was found, or -1.</param>
public sealed record Lwm2mCodecError(Lwm2mCodecErrorKind Kind, string Message, int Offset = -1)
{
    /// <summary>
    /// The response code an engine should answer with: 4.06 Not Acceptable when the format cannot
    /// carry what was asked, 4.04 for unknown objects or resources, 4.00 Bad Request otherwise.
    /// Written "c.dd" because this layer knows no CoAP types.
    /// </summary>
    public string SuggestedCoapCode => Kind switch
    {
        Lwm2mCodecErrorKind.Unsupported => "4.06",
        Lwm2mCodecErrorKind.UnknownResource => "4.04",
        _ => "4.00",
    };

    /// <inheritdoc />
    public override string ToString() => Offset >= 0 ? $"{Kind} at offset {Offset}: {Message}" : $"{Kind}: {Message}";
}

/// <summary>Either a decoded value or the reason decoding failed.</summary>
/// <typeparam name="T">The decoded type.</typeparam>
public readonly struct Lwm2mCodecResult<T>
{
    private Lwm2mCodecResult(T? value, Lwm2mCodecError? error)
    {
        Value = value;
        Error = error;
    }

    /// <summary>The value when <see cref="IsSuccess"/>.</summary>
    public T? Value { get; }

    /// <summary>The error when decoding failed.</summary>
    public Lwm2mCodecError? Error { get; }

    /// <summary>True when a value was decoded.</summary>
    public bool IsSuccess => Error is null;

    /// <summary>A success.</summary>
    public static Lwm2mCodecResult<T> Success(T value) => new(value, null);

    /// <summary>A failure.</summary>
    public static Lwm2mCodecResult<T> Failure(Lwm2mCodecError error) => new(default, error ?? throw new ArgumentNullException(nameof(error)));

    /// <summary>A failure built from its parts.</summary>
    public static Lwm2mCodecResult<T> Failure(Lwm2mCodecErrorKind kind, string message, int offset = -1) => Failure(new Lwm2mCodecError(kind, message, offset));

    /// <summary>Lifts an error into a result.</summary>
    public static implicit operator Lwm2mCodecResult<T>(Lwm2mCodecError error) => Failure(error);
}
