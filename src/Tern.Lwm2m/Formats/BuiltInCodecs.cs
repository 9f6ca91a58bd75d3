namespace Tern.Lwm2m.Formats;

/// <summary>The list of codecs that make up <see cref="Lwm2mContentFormatRegistry.Default"/>.</summary>
internal static class BuiltInCodecs
{
    public static IEnumerable<ILwm2mContentCodec> Create() => [];
}
