using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Tern.Lwm2m.Client.Configuration;

/// <summary>What <see cref="Lwm2mStateStore.Load"/> found.</summary>
public enum Lwm2mStateStatus
{
    /// <summary>No state file: the client has not been bootstrapped (or the state was removed).</summary>
    Missing,

    /// <summary>The state was read, checked and validated.</summary>
    Loaded,

    /// <summary>The file is damaged, half-written or invalid; it must not be used.</summary>
    Corrupted,
}

/// <summary>The outcome of loading the saved configuration.</summary>
/// <param name="Status">What was found.</param>
/// <param name="Configuration">The configuration when <see cref="Lwm2mStateStatus.Loaded"/>.</param>
/// <param name="Error">Why the file was refused when <see cref="Lwm2mStateStatus.Corrupted"/>.</param>
public sealed record Lwm2mStateLoadResult(Lwm2mStateStatus Status, Lwm2mClientConfiguration? Configuration, string? Error);

/// <summary>
/// Keeps the Security and Server instances in a state directory so a restart registers without bootstrapping again.
/// The file is a header line <c>TERN-STATE 1 &lt;length&gt; &lt;sha256&gt;</c> and the JSON of
/// <see cref="Lwm2mConfigurationJson"/>; it is written to a temporary file, flushed to disk and renamed over the old one,
/// so a crash leaves either the old or the new state. A damaged file is reported, never used.
/// </summary>
public sealed class Lwm2mStateStore
{
    private const string FileName = "lwm2m-state.json";
    private const string Magic = "TERN-STATE 1 ";
    private const int MaxFileBytes = 1 << 20;

    /// <summary>Creates a store in <paramref name="directory"/> (created on first save).</summary>
    /// <param name="directory">The state directory.</param>
    public Lwm2mStateStore(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = directory;
    }

    /// <summary>The state directory.</summary>
    public string Directory { get; }

    /// <summary>The state file's full path.</summary>
    public string FilePath => Path.Combine(Directory, FileName);

    /// <summary>Saves the configuration atomically (temporary file, flush, rename).</summary>
    /// <param name="configuration">The configuration to keep.</param>
    public void Save(Lwm2mClientConfiguration configuration)
    {
        var body = new ArrayBufferWriter<byte>();
        Lwm2mConfigurationJson.Write(configuration, body);
        var header = Encoding.ASCII.GetBytes(
            Magic + body.WrittenCount.ToString(CultureInfo.InvariantCulture) + " " + Convert.ToHexStringLower(SHA256.HashData(body.WrittenSpan)) + "\n");

        System.IO.Directory.CreateDirectory(Directory);
        var temporary = FilePath + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(header);
            stream.Write(body.WrittenSpan);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, FilePath, overwrite: true);
    }

    /// <summary>Loads and checks the saved configuration.</summary>
    public Lwm2mStateLoadResult Load()
    {
        if (!File.Exists(FilePath))
        {
            return new(Lwm2mStateStatus.Missing, null, null);
        }

        byte[] bytes;
        try
        {
            var info = new FileInfo(FilePath);
            if (info.Length > MaxFileBytes)
            {
                return Corrupted($"the file is {info.Length} bytes, more than the {MaxFileBytes} a state file can be");
            }

            bytes = File.ReadAllBytes(FilePath);
        }
        catch (IOException e)
        {
            return Corrupted("it could not be read: " + e.Message);
        }

        var newline = Array.IndexOf(bytes, (byte)'\n');
        var header = newline < 0 ? string.Empty : Encoding.ASCII.GetString(bytes, 0, newline);
        var parts = header.StartsWith(Magic, StringComparison.Ordinal) ? header[Magic.Length..].Split(' ') : [];
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            return Corrupted("the header line is missing or malformed");
        }

        var body = bytes.AsMemory(newline + 1);
        if (body.Length != length)
        {
            return Corrupted($"the body is {body.Length} bytes but the header says {length} (half-written?)");
        }

        if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(body.Span)), parts[1], StringComparison.Ordinal))
        {
            return Corrupted("the checksum does not match the content");
        }

        var parsed = Lwm2mConfigurationJson.Parse(body);
        return parsed.IsSuccess
            ? new(Lwm2mStateStatus.Loaded, parsed.Configuration, null)
            : Corrupted("the content is not a valid configuration: " + string.Join(" ", parsed.Errors));
    }

    private Lwm2mStateLoadResult Corrupted(string reason) => new(Lwm2mStateStatus.Corrupted, null, $"State file {FilePath} is not usable: {reason}.");
}
