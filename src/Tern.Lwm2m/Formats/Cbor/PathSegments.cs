using System.Globalization;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Formats.Cbor;

/// <summary>Small allocation-free helpers over path segments, shared by the CBOR-based codecs.</summary>
internal static class PathSegments
{
    /// <summary>The longest text a path or path suffix formats to: "/65534/65534/65534/65534/".</summary>
    public const int MaxChars = 25;

    /// <summary>The id at <paramref name="index"/> (0 = object … 3 = resource instance).</summary>
    public static int Get(Lwm2mPath path, int index) => index switch
    {
        0 => path.ObjectId!.Value,
        1 => path.InstanceId!.Value,
        2 => path.ResourceId!.Value,
        _ => path.ResourceInstanceId!.Value,
    };

    /// <summary>The path made of the ids in <paramref name="ids"/> (zero to four).</summary>
    public static Lwm2mPath Make(ReadOnlySpan<int> ids) => ids.Length switch
    {
        0 => Lwm2mPath.Root,
        1 => new Lwm2mPath(ids[0]),
        2 => new Lwm2mPath(ids[0], ids[1]),
        3 => new Lwm2mPath(ids[0], ids[1], ids[2]),
        _ => new Lwm2mPath(ids[0], ids[1], ids[2], ids[3]),
    };

    /// <summary>How many leading ids two paths share.</summary>
    public static int CommonLength(Lwm2mPath a, Lwm2mPath b)
    {
        int max = Math.Min((int)a.Level, (int)b.Level), n = 0;
        while (n < max && Get(a, n) == Get(b, n))
        {
            n++;
        }

        return n;
    }

    /// <summary>
    /// Formats ids <paramref name="from"/>..<paramref name="to"/> (exclusive) of <paramref name="path"/> joined
    /// by '/', with an optional leading and trailing '/'. Returns the number of chars written.
    /// </summary>
    public static int Format(Lwm2mPath path, int from, int to, bool leadingSlash, bool trailingSlash, Span<char> output)
    {
        int n = 0;
        for (int i = from; i < to; i++)
        {
            if (i > from || leadingSlash)
            {
                output[n++] = '/';
            }

            Get(path, i).TryFormat(output[n..], out int written, provider: CultureInfo.InvariantCulture);
            n += written;
        }

        if (trailingSlash || (leadingSlash && from == to))
        {
            output[n++] = '/';
        }

        return n;
    }
}
