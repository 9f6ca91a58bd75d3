using Tern.Lwm2m.Definitions;

namespace Tern.Lwm2m.Formats;

/// <summary>
/// The decoding half of a record-shaped format, as a static member so <see cref="RecordNodes"/> can run any
/// of them through one generic path without a delegate or an instance.
/// </summary>
internal interface IRecordReader
{
    /// <summary>
    /// Decodes <paramref name="payload"/> into <paramref name="records"/> and returns the first error, or null.
    /// <paramref name="forNode"/> is true when the records become a node, whose building checks duplicate paths itself.
    /// </summary>
    static abstract Lwm2mCodecError? Read(ReadOnlySpan<byte> payload, IObjectDefinitionProvider model, TimeProvider clock, RecordBuffer records, bool forNode);
}
