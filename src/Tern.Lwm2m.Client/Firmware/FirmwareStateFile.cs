using System.Globalization;
using System.Text;
using System.Text.Json;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Firmware;

/// <summary>What object 5 keeps across a restart: everything a reboot must not forget.</summary>
/// <param name="State">/5/0/3.</param>
/// <param name="Result">/5/0/5.</param>
/// <param name="PackageUri">/5/0/1 (empty for a pushed package).</param>
/// <param name="PackageName">/5/0/6.</param>
/// <param name="PackageVersion">/5/0/7.</param>
/// <param name="Severity">/5/0/11.</param>
/// <param name="MaximumDeferPeriod">/5/0/13.</param>
/// <param name="LastStateChange">/5/0/12.</param>
/// <param name="DeferDeadline">When a deferred update must start at the latest (null when none is deferred).</param>
public sealed record FirmwareUpdateSnapshot(
    FirmwareUpdateState State,
    FirmwareUpdateResult Result,
    string PackageUri,
    string PackageName,
    string PackageVersion,
    FirmwareSeverity Severity,
    TimeSpan MaximumDeferPeriod,
    DateTimeOffset? LastStateChange,
    DateTimeOffset? DeferDeadline)
{
    /// <summary>A device that never saw an update: Idle, result 0, severity Mandatory, no deferral allowed.</summary>
    public static FirmwareUpdateSnapshot Initial { get; } = new(
        FirmwareUpdateState.Idle, FirmwareUpdateResult.Initial, "", "", "", FirmwareSeverity.Mandatory, TimeSpan.Zero, null, null);
}

/// <summary>How <see cref="FirmwareStateFile.Load"/> went.</summary>
/// <param name="Snapshot">The state read, or <see cref="FirmwareUpdateSnapshot.Initial"/> when none could be.</param>
/// <param name="Error">Why the file was refused (corrupt, unreadable); null when it loaded or did not exist.</param>
public sealed record FirmwareStateLoadResult(FirmwareUpdateSnapshot Snapshot, string? Error)
{
    /// <summary>True when a file existed but could not be used.</summary>
    public bool IsCorrupted => Error is not null;
}

/// <summary>
/// Keeps a <see cref="FirmwareUpdateSnapshot"/> in <c>firmware-state</c> in the state directory. Each save writes a
/// temporary file, flushes it to disk and renames it over the old one, so a power cut leaves the old or the new
/// state, never half of one. The header line carries the body's length and CRC-32, so a damaged file is detected
/// and reported instead of being believed.
/// </summary>
public sealed class FirmwareStateFile
{
    private const string Magic = "TERN-FW1 ";
    private const int MaxFileBytes = 16 * 1024;

    /// <summary>Uses <paramref name="directory"/> (created on the first save).</summary>
    /// <param name="directory">The state directory.</param>
    public FirmwareStateFile(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        FilePath = Path.Combine(directory, "firmware-state");
    }

    /// <summary>The file.</summary>
    public string FilePath { get; }

    /// <summary>Writes <paramref name="snapshot"/> atomically.</summary>
    public void Save(FirmwareUpdateSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        byte[] body = Serialize(snapshot);
        byte[] header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Magic}{body.Length} {Crc32.Compute(body):x8}\n"));
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        string temporary = FilePath + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(header);
            stream.Write(body);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, FilePath, overwrite: true);
    }

    /// <summary>Reads the state; a missing file is a fresh device, a damaged one is reported in <see cref="FirmwareStateLoadResult.Error"/>.</summary>
    public FirmwareStateLoadResult Load()
    {
        if (!File.Exists(FilePath))
        {
            return new(FirmwareUpdateSnapshot.Initial, null);
        }

        byte[] bytes;
        try
        {
            if (new FileInfo(FilePath).Length > MaxFileBytes)
            {
                return Corrupted($"it is larger than the {MaxFileBytes} bytes a state file can be");
            }

            bytes = File.ReadAllBytes(FilePath);
        }
        catch (IOException e)
        {
            return Corrupted("it could not be read: " + e.Message);
        }

        int newline = Array.IndexOf(bytes, (byte)'\n');
        string header = newline < 0 ? "" : Encoding.ASCII.GetString(bytes, 0, newline);
        string[] parts = header.StartsWith(Magic, StringComparison.Ordinal) ? header[Magic.Length..].Split(' ') : [];
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int length)
            || !uint.TryParse(parts[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint crc))
        {
            return Corrupted("the header line is missing or malformed");
        }

        ReadOnlySpan<byte> body = bytes.AsSpan(newline + 1);
        if (body.Length != length)
        {
            return Corrupted($"the body is {body.Length} bytes but the header says {length}");
        }

        if (Crc32.Compute(body) != crc)
        {
            return Corrupted("the CRC-32 does not match the content");
        }

        return TryDeserialize(body, out FirmwareUpdateSnapshot? snapshot, out string? error)
            ? new(snapshot!, null)
            : Corrupted(error!);
    }

    private FirmwareStateLoadResult Corrupted(string reason) =>
        new(FirmwareUpdateSnapshot.Initial, $"Firmware state file {FilePath} is not usable: {reason}.");

    private static byte[] Serialize(FirmwareUpdateSnapshot s)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("state", (int)s.State);
            json.WriteNumber("result", (int)s.Result);
            json.WriteString("uri", s.PackageUri);
            json.WriteString("name", s.PackageName);
            json.WriteString("version", s.PackageVersion);
            json.WriteNumber("severity", (int)s.Severity);
            json.WriteNumber("maxDeferSeconds", (long)s.MaximumDeferPeriod.TotalSeconds);
            WriteTime(json, "lastStateChange", s.LastStateChange);
            WriteTime(json, "deferDeadline", s.DeferDeadline);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? time)
    {
        if (time is { } t)
        {
            json.WriteNumber(name, t.ToUnixTimeMilliseconds());
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static bool TryDeserialize(ReadOnlySpan<byte> body, out FirmwareUpdateSnapshot? snapshot, out string? error)
    {
        snapshot = null;
        error = null;
        try
        {
            using JsonDocument document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 4 });
            JsonElement root = document.RootElement;
            int state = root.GetProperty("state").GetInt32();
            int result = root.GetProperty("result").GetInt32();
            int severity = root.GetProperty("severity").GetInt32();
            if (state is < 0 or > 3 || result is < 0 or > 11 || severity is < 0 or > 2)
            {
                error = "a value is out of range";
                return false;
            }

            snapshot = new FirmwareUpdateSnapshot(
                (FirmwareUpdateState)state,
                (FirmwareUpdateResult)result,
                root.GetProperty("uri").GetString() ?? "",
                root.GetProperty("name").GetString() ?? "",
                root.GetProperty("version").GetString() ?? "",
                (FirmwareSeverity)severity,
                TimeSpan.FromSeconds(root.GetProperty("maxDeferSeconds").GetInt64()),
                ReadTime(root.GetProperty("lastStateChange")),
                ReadTime(root.GetProperty("deferDeadline")));
            return true;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            error = "the content is not a firmware state: " + e.Message;
            return false;
        }
    }

    private static DateTimeOffset? ReadTime(JsonElement element) =>
        element.ValueKind == JsonValueKind.Null ? null : DateTimeOffset.FromUnixTimeMilliseconds(element.GetInt64());
}
