using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Reporting;

/// <summary>What <see cref="TimeSeriesCacheFile.Load"/> found.</summary>
public enum TimeSeriesLoadStatus
{
    /// <summary>No file: nothing was cached before (an empty cache is returned).</summary>
    Missing,

    /// <summary>The file was read and checked.</summary>
    Loaded,

    /// <summary>The file is damaged or half-written; an empty cache is returned and the file is not used.</summary>
    Corrupted,
}

/// <summary>The outcome of loading the time-series cache.</summary>
/// <param name="Status">What was found.</param>
/// <param name="Cache">The cache: restored when loaded, empty otherwise.</param>
/// <param name="Error">Why the file was refused when corrupted.</param>
public sealed record TimeSeriesLoadResult(TimeSeriesLoadStatus Status, TimeSeriesCache Cache, string? Error);

/// <summary>
/// Keeps the <see cref="TimeSeriesCache"/> across a restart in a state directory. The file is a header line
/// <c>TERN-TIMESERIES 1 &lt;length&gt; &lt;sha256&gt;</c> and a little-endian body: per cached resource its path,
/// bound, overflow policy and entries (Unix milliseconds, value type, 8 value bytes). It is written to a temporary
/// file, flushed to disk and renamed over the old one, so a crash leaves the old or the new cache; a damaged file is
/// reported and never used. Reading is bounded and never throws on bad bytes.
/// </summary>
public sealed class TimeSeriesCacheFile
{
    private const string FileName = "lwm2m-timeseries.bin";
    private const string Magic = "TERN-TIMESERIES 1 ";
    private const int MaxFileBytes = 64 << 20;
    private const int MaxResources = 4096;
    private const int EntryBytes = 17;

    /// <summary>Uses <paramref name="directory"/> (created on the first save).</summary>
    /// <param name="directory">The state directory.</param>
    public TimeSeriesCacheFile(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = directory;
    }

    /// <summary>The state directory.</summary>
    public string Directory { get; }

    /// <summary>The file's full path.</summary>
    public string FilePath => Path.Combine(Directory, FileName);

    /// <summary>Saves the cache atomically (temporary file, flush, rename).</summary>
    /// <param name="cache">The cache.</param>
    public void Save(TimeSeriesCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        byte[] body = Serialize(cache);
        byte[] header = Encoding.ASCII.GetBytes(
            Magic + body.Length.ToString(CultureInfo.InvariantCulture) + " " + Convert.ToHexStringLower(SHA256.HashData(body)) + "\n");
        System.IO.Directory.CreateDirectory(Directory);
        string temporary = FilePath + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(header);
            stream.Write(body);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, FilePath, overwrite: true);
    }

    /// <summary>Loads and checks the saved cache.</summary>
    public TimeSeriesLoadResult Load()
    {
        if (!File.Exists(FilePath))
        {
            return new(TimeSeriesLoadStatus.Missing, new TimeSeriesCache(), null);
        }

        byte[] bytes;
        try
        {
            var info = new FileInfo(FilePath);
            if (info.Length > MaxFileBytes)
            {
                return Corrupted($"the file is {info.Length} bytes, more than the {MaxFileBytes} allowed");
            }

            bytes = File.ReadAllBytes(FilePath);
        }
        catch (IOException e)
        {
            return Corrupted("it could not be read: " + e.Message);
        }
        catch (UnauthorizedAccessException e)
        {
            return Corrupted("it could not be read: " + e.Message);
        }

        int newline = Array.IndexOf(bytes, (byte)'\n');
        string header = newline < 0 ? string.Empty : Encoding.ASCII.GetString(bytes, 0, newline);
        string[] parts = header.StartsWith(Magic, StringComparison.Ordinal) ? header[Magic.Length..].Split(' ') : [];
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int length))
        {
            return Corrupted("the header line is missing or malformed");
        }

        ReadOnlySpan<byte> body = bytes.AsSpan(newline + 1);
        if (body.Length != length)
        {
            return Corrupted($"the body is {body.Length} bytes but the header says {length} (half-written?)");
        }

        if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(body)), parts[1], StringComparison.Ordinal))
        {
            return Corrupted("the checksum does not match the content");
        }

        var cache = new TimeSeriesCache();
        return Deserialize(body, cache) is { } error ? Corrupted(error) : new(TimeSeriesLoadStatus.Loaded, cache, null);
    }

    private static byte[] Serialize(TimeSeriesCache cache)
    {
        using var stream = new MemoryStream();
        Span<byte> buffer = stackalloc byte[EntryBytes];
        var resources = cache.Export().ToList();
        WriteInt(stream, resources.Count);
        foreach ((Lwm2mPath path, int capacity, OverflowPolicy overflow, IEnumerable<(DateTimeOffset Time, Lwm2mValue Value)> entries) in resources)
        {
            stream.WriteByte((byte)path.Level);
            WriteUShort(stream, path.ObjectId!.Value);
            WriteUShort(stream, path.InstanceId!.Value);
            WriteUShort(stream, path.ResourceId!.Value);
            WriteUShort(stream, path.ResourceInstanceId ?? 0);
            WriteInt(stream, capacity);
            stream.WriteByte((byte)overflow);
            var list = entries.ToList();
            WriteInt(stream, list.Count);
            foreach ((DateTimeOffset time, Lwm2mValue value) in list)
            {
                BinaryPrimitives.WriteInt64LittleEndian(buffer, time.ToUnixTimeMilliseconds());
                buffer[8] = (byte)value.Type;
                BinaryPrimitives.WriteInt64LittleEndian(buffer[9..], Bits(value));
                stream.Write(buffer);
            }
        }

        return stream.ToArray();
    }

    private static string? Deserialize(ReadOnlySpan<byte> body, TimeSeriesCache cache)
    {
        int offset = 0;
        if (!ReadInt(body, ref offset, out int resources) || resources is < 0 or > MaxResources)
        {
            return "the resource count is missing or out of range";
        }

        for (int r = 0; r < resources; r++)
        {
            if (body.Length - offset < 14)
            {
                return $"resource {r} is cut short";
            }

            var level = (Lwm2mPathLevel)body[offset];
            int o = BinaryPrimitives.ReadUInt16LittleEndian(body[(offset + 1)..]);
            int i = BinaryPrimitives.ReadUInt16LittleEndian(body[(offset + 3)..]);
            int res = BinaryPrimitives.ReadUInt16LittleEndian(body[(offset + 5)..]);
            int ri = BinaryPrimitives.ReadUInt16LittleEndian(body[(offset + 7)..]);
            offset += 9;
            if (level is not (Lwm2mPathLevel.Resource or Lwm2mPathLevel.ResourceInstance) || o > Lwm2mPath.MaxId || i > Lwm2mPath.MaxId
                || res > Lwm2mPath.MaxId || ri > Lwm2mPath.MaxId)
            {
                return $"resource {r} has an invalid path";
            }

            var path = level == Lwm2mPathLevel.Resource ? new Lwm2mPath(o, i, res) : new Lwm2mPath(o, i, res, ri);
            ReadInt(body, ref offset, out int capacity);
            byte overflow = body[offset++];
            if (capacity is < 1 or > TimeSeriesCache.MaxCapacity || overflow > (byte)OverflowPolicy.RefuseNew)
            {
                return $"the cache of {path} has an invalid bound or policy";
            }

            if (!ReadInt(body, ref offset, out int count) || count < 0 || count > capacity || (long)count * EntryBytes > body.Length - offset)
            {
                return $"the entry count of {path} is missing or out of range";
            }

            cache.Enable(path, capacity, (OverflowPolicy)overflow);
            for (int e = 0; e < count; e++)
            {
                ReadOnlySpan<byte> entry = body.Slice(offset, EntryBytes);
                offset += EntryBytes;
                long millis = BinaryPrimitives.ReadInt64LittleEndian(entry);
                if (millis < -62135596800000 || millis > 253402300799999)
                {
                    return $"an entry of {path} has an invalid time";
                }

                if (FromBits((Lwm2mResourceType)entry[8], BinaryPrimitives.ReadInt64LittleEndian(entry[9..])) is not { } value)
                {
                    return $"an entry of {path} has an invalid value";
                }

                cache.Restore(path, DateTimeOffset.FromUnixTimeMilliseconds(millis), value);
            }
        }

        return offset == body.Length ? null : "bytes follow the last resource";
    }

    private static long Bits(Lwm2mValue value) => value.Type switch
    {
        Lwm2mResourceType.Integer => value.AsInteger(),
        Lwm2mResourceType.UnsignedInteger => unchecked((long)value.AsUnsignedInteger()),
        Lwm2mResourceType.Float => BitConverter.DoubleToInt64Bits(value.AsFloat()),
        Lwm2mResourceType.Boolean => value.AsBoolean() ? 1 : 0,
        Lwm2mResourceType.Time => value.AsUnixTime(),
        Lwm2mResourceType.Objlnk => ((long)value.AsObjectLink().ObjectId << 16) | value.AsObjectLink().InstanceId,
        _ => throw new InvalidOperationException($"{value.Type} values are not cached."),
    };

    private static Lwm2mValue? FromBits(Lwm2mResourceType type, long bits) => type switch
    {
        Lwm2mResourceType.Integer => Lwm2mValue.FromInteger(bits),
        Lwm2mResourceType.UnsignedInteger => Lwm2mValue.FromUnsignedInteger(unchecked((ulong)bits)),
        Lwm2mResourceType.Float => Lwm2mValue.FromFloat(BitConverter.Int64BitsToDouble(bits)),
        Lwm2mResourceType.Boolean when bits is 0 or 1 => Lwm2mValue.FromBoolean(bits == 1),
        Lwm2mResourceType.Time => Lwm2mValue.FromUnixTime(bits),
        Lwm2mResourceType.Objlnk when bits is >= 0 and <= 0xFFFF_FFFFL => Lwm2mValue.FromObjectLink(new Lwm2mObjectLink((ushort)(bits >> 16), (ushort)bits)),
        _ => null,
    };

    private static void WriteInt(Stream stream, int value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, value);
        stream.Write(b);
    }

    private static void WriteUShort(Stream stream, int value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)value);
        stream.Write(b);
    }

    private static bool ReadInt(ReadOnlySpan<byte> body, ref int offset, out int value)
    {
        if (body.Length - offset < 4)
        {
            value = 0;
            return false;
        }

        value = BinaryPrimitives.ReadInt32LittleEndian(body[offset..]);
        offset += 4;
        return true;
    }

    private TimeSeriesLoadResult Corrupted(string reason) =>
        new(TimeSeriesLoadStatus.Corrupted, new TimeSeriesCache(), $"Time-series file {FilePath} is not usable: {reason}.");
}
