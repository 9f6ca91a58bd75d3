using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Tern.Lwm2m.Server.Firmware;

/// <summary>A firmware image the server serves for pulls: its id (the last segment of <c>/fw/ID</c>), bytes and ETag.</summary>
public sealed class FirmwareImage
{
    internal FirmwareImage(string id, ReadOnlyMemory<byte> content)
    {
        Id = id;
        Content = content;
        byte[] hash = SHA256.HashData(content.Span);
        ETag = hash.AsMemory(0, 8);
        Sha256 = Convert.ToHexStringLower(hash);
    }

    /// <summary>The id in the image's URI (<c>/fw/ID</c>): random, so images cannot be guessed.</summary>
    public string Id { get; }

    /// <summary>The package bytes.</summary>
    public ReadOnlyMemory<byte> Content { get; }

    /// <summary>The package size in bytes.</summary>
    public long Length => Content.Length;

    /// <summary>The first 8 bytes of the SHA-256 of the content, sent as the CoAP ETag (and, in hex, as the HTTP one).</summary>
    public ReadOnlyMemory<byte> ETag { get; }

    /// <summary>The SHA-256 of the content in lower-case hex.</summary>
    public string Sha256 { get; }
}

/// <summary>
/// The images the server serves at <c>/fw/ID</c> (CoAP GET with Block2 on its own endpoint; the REST host serves the same
/// ids over HTTP with Range). Thread-safe; images are held by reference, never copied.
/// </summary>
public sealed class FirmwareImageLibrary
{
    /// <summary>The path segment images are served under.</summary>
    public const string PathSegment = "fw";

    private readonly ConcurrentDictionary<string, FirmwareImage> _images = new(StringComparer.Ordinal);

    /// <summary>The number of images held.</summary>
    public int Count => _images.Count;

    /// <summary>Adds <paramref name="content"/> under a new random id and returns it.</summary>
    /// <exception cref="ArgumentException">The content is empty.</exception>
    public FirmwareImage Add(ReadOnlyMemory<byte> content)
    {
        if (content.IsEmpty)
        {
            throw new ArgumentException("A firmware image cannot be empty.", nameof(content));
        }

        while (true)
        {
            var image = new FirmwareImage(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), content);
            if (_images.TryAdd(image.Id, image))
            {
                return image;
            }
        }
    }

    /// <summary>The image with <paramref name="id"/>, if held.</summary>
    public bool TryGet(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out FirmwareImage? image)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _images.TryGetValue(id, out image);
    }

    /// <summary>Stops serving the image with <paramref name="id"/>; false when it was not held.</summary>
    public bool Remove(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _images.TryRemove(id, out _);
    }
}
