namespace Tern.Lwm2m.Client.Firmware;

/// <summary>What <see cref="FirmwarePackageSink.Write"/> did with a block.</summary>
public enum FirmwareBlockStatus
{
    /// <summary>Stored; more is expected.</summary>
    Stored,

    /// <summary>Stored, and it was the last block: the package is complete on disk.</summary>
    Complete,

    /// <summary>Already stored earlier (a retransmitted block); nothing changed.</summary>
    Duplicate,

    /// <summary>The block starts beyond the stored bytes: a block is missing (CoAP 4.08).</summary>
    Gap,

    /// <summary>The package would exceed the storage allowed for it (Update Result 2, CoAP 4.13).</summary>
    TooLarge,

    /// <summary>Storage failed (disk full, I/O error).</summary>
    StorageFailed,
}

/// <summary>
/// Streams a package to a file in the state directory block by block (offset, bytes, more-flag), so the image is
/// never held whole in memory. Bytes go to <c>firmware.part</c>; the last block flushes it to disk and renames it to
/// <c>firmware.bin</c>. A download that broke off continues from <see cref="Length"/>, the bytes stored so far.
/// One writer at a time; <see cref="Delete"/> may come from another thread and makes later writes fail.
/// </summary>
public sealed class FirmwarePackageSink : IDisposable
{
    private const int WriteBufferSize = 64 * 1024;
    private readonly Lock _lock = new();
    private FileStream? _part;
    private bool _closed;

    /// <summary>Stores into <paramref name="directory"/> (created when missing), at most <paramref name="maxPackageBytes"/> bytes.</summary>
    /// <param name="directory">The state directory.</param>
    /// <param name="maxPackageBytes">The largest package accepted.</param>
    public FirmwarePackageSink(string directory, long maxPackageBytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPackageBytes, 1);
        Directory.CreateDirectory(directory);
        PartPath = Path.Combine(directory, "firmware.part");
        PackagePath = Path.Combine(directory, "firmware.bin");
        MaxPackageBytes = maxPackageBytes;
        Length = File.Exists(PackagePath) ? new FileInfo(PackagePath).Length : File.Exists(PartPath) ? new FileInfo(PartPath).Length : 0;
        IsComplete = File.Exists(PackagePath);
    }

    /// <summary>The file a download in progress is written to.</summary>
    public string PartPath { get; }

    /// <summary>The file the complete package ends in.</summary>
    public string PackagePath { get; }

    /// <summary>The largest package accepted.</summary>
    public long MaxPackageBytes { get; }

    /// <summary>Bytes stored contiguously from offset 0; a resumed download asks for what follows.</summary>
    public long Length { get; private set; }

    /// <summary>True once the last block is stored and the package renamed to <see cref="PackagePath"/>.</summary>
    public bool IsComplete { get; private set; }

    /// <summary>
    /// Stores <paramref name="data"/> at <paramref name="offset"/>. A block that overlaps what is stored has its new
    /// tail written; a block beyond <see cref="Length"/> is refused as a gap. <paramref name="more"/> false ends the
    /// package: it is flushed to disk and renamed.
    /// </summary>
    public FirmwareBlockStatus Write(long offset, ReadOnlySpan<byte> data, bool more)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        lock (_lock)
        {
            return _closed ? FirmwareBlockStatus.StorageFailed : WriteLocked(offset, data, more);
        }
    }

    private FirmwareBlockStatus WriteLocked(long offset, ReadOnlySpan<byte> data, bool more)
    {
        if (IsComplete)
        {
            return offset + data.Length <= Length ? FirmwareBlockStatus.Duplicate : FirmwareBlockStatus.Gap;
        }

        if (offset > Length)
        {
            return FirmwareBlockStatus.Gap;
        }

        long end = offset + data.Length;
        if (end > MaxPackageBytes)
        {
            return FirmwareBlockStatus.TooLarge;
        }

        if (end < Length && !more)
        {
            // A "last" block that ends before bytes already stored: the two do not describe one package.
            return FirmwareBlockStatus.Gap;
        }

        if (end <= Length && more)
        {
            return FirmwareBlockStatus.Duplicate;
        }

        try
        {
            FileStream part = _part ??= OpenPart();
            int skip = (int)(Length - offset);
            if (part.Position != Length)
            {
                part.Position = Length; // moving flushes the write buffer, so only when needed
            }

            part.Write(data[skip..]);
            Length = Math.Max(Length, end);
            if (more)
            {
                return FirmwareBlockStatus.Stored;
            }

            part.SetLength(Length);
            part.Flush(flushToDisk: true);
            part.Dispose();
            _part = null;
            File.Move(PartPath, PackagePath, overwrite: true);
            IsComplete = true;
            return FirmwareBlockStatus.Complete;
        }
        catch (IOException)
        {
            return FirmwareBlockStatus.StorageFailed;
        }
        catch (UnauthorizedAccessException)
        {
            return FirmwareBlockStatus.StorageFailed;
        }
    }

    /// <summary>Flushes what is stored so far to disk, so a resumed download after a power loss finds it.</summary>
    public void Flush()
    {
        lock (_lock)
        {
            _part?.Flush(flushToDisk: true);
        }
    }

    /// <summary>Opens the complete package for reading (verification, installation).</summary>
    public FileStream OpenRead() => IsComplete
        ? new FileStream(PackagePath, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan)
        : throw new InvalidOperationException("The package is not complete yet; read it once Write returned Complete.");

    /// <summary>Deletes the partial and the complete package; this sink refuses further writes (open a new one to start over).</summary>
    public void Delete()
    {
        lock (_lock)
        {
            _closed = true;
            _part?.Dispose();
            _part = null;
            File.Delete(PartPath);
            File.Delete(PackagePath);
            Length = 0;
            IsComplete = false;
        }
    }

    /// <summary>Closes the partial file (it stays on disk for a resume); this sink refuses further writes.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _closed = true;
            _part?.Dispose();
            _part = null;
        }
    }

    private FileStream OpenPart()
    {
        // Buffered: a 1024-byte block is a copy, not a system call; a crash loses at most the buffer, and a resume
        // starts from the file's length, which only counts what reached the file.
        var stream = new FileStream(PartPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, WriteBufferSize);
        if (stream.Length > Length)
        {
            stream.SetLength(Length);
        }

        return stream;
    }
}
