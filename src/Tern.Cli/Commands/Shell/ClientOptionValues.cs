using Tern.Lwm2m.Client.Engine;

namespace Tern.Cli.Commands.Shell;

/// <summary>The values of <c>tern client --lwm2m-version</c> and <c>--format</c>.</summary>
internal static class ClientOptionValues
{
    public const string FormatNames = "text, tlv, senml-json, senml-cbor, lwm2m-cbor";

    public static Lwm2mVersion? ParseVersion(string text) => text switch
    {
        "1.0" => Lwm2mVersion.Lwm2m10,
        "1.1" => Lwm2mVersion.Lwm2m11,
        "1.2" => Lwm2mVersion.Lwm2m12,
        _ => null,
    };

    /// <summary>The CoAP content format number of a format name, or null when unknown.</summary>
    public static ushort? ParseFormat(string text) => text.ToLowerInvariant() switch
    {
        "text" => 0,
        "tlv" => 11542,
        "senml-json" => 110,
        "senml-cbor" => 112,
        "lwm2m-cbor" => 11544,
        _ => null,
    };

    /// <summary>A one-line error when <paramref name="format"/> cannot be used with <paramref name="version"/>, else null.</summary>
    public static string? CheckFormatVersion(string? format, string? version) => (format?.ToLowerInvariant(), version) switch
    {
        ("senml-json" or "senml-cbor", "1.0") => $"--format {format} needs --lwm2m-version 1.1 or later",
        ("lwm2m-cbor", "1.0" or "1.1") => "--format lwm2m-cbor needs --lwm2m-version 1.2",
        _ => null,
    };
}
