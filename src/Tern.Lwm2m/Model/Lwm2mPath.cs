using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Tern.Lwm2m.Model;

/// <summary>How deep a path points into the data model.</summary>
public enum Lwm2mPathLevel
{
    /// <summary><c>/</c>: the whole client.</summary>
    Root = 0,
    /// <summary><c>/o</c>.</summary>
    Object = 1,
    /// <summary><c>/o/i</c>.</summary>
    ObjectInstance = 2,
    /// <summary><c>/o/i/r</c>.</summary>
    Resource = 3,
    /// <summary><c>/o/i/r/ri</c>.</summary>
    ResourceInstance = 4,
}

/// <summary>
/// An LwM2M path: root, <c>/o</c>, <c>/o/i</c>, <c>/o/i/r</c> or <c>/o/i/r/ri</c>.
/// Each id is 0–65534; 65535 is reserved (LwM2M TS Core §7).
/// </summary>
public readonly record struct Lwm2mPath : IComparable<Lwm2mPath>
{
    /// <summary>The largest id a path segment may hold.</summary>
    public const int MaxId = 65534;

    private readonly ushort _o, _i, _r, _ri;

    // ContainsAnyExceptInRange allocates on every call here (96 B, measured); a SearchValues set does not.
    private static readonly SearchValues<char> Digits = SearchValues.Create("0123456789");

    /// <summary>The root path <c>/</c>.</summary>
    public static Lwm2mPath Root => default;

    private Lwm2mPath(Lwm2mPathLevel level, ushort o, ushort i, ushort r, ushort ri)
    {
        Level = level;
        _o = o;
        _i = i;
        _r = r;
        _ri = ri;
    }

    /// <summary>Builds <c>/o</c>, <c>/o/i</c>, <c>/o/i/r</c> or <c>/o/i/r/ri</c>; throws for ids outside 0–65534.</summary>
    public Lwm2mPath(int objectId, int? instanceId = null, int? resourceId = null, int? resourceInstanceId = null)
    {
        ushort Check(int id, string name)
        {
            if ((uint)id > MaxId)
            {
                throw new ArgumentOutOfRangeException(name, id, "LwM2M ids are 0–65534; 65535 is reserved.");
            }

            return (ushort)id;
        }

        _o = Check(objectId, nameof(objectId));
        Level = Lwm2mPathLevel.Object;
        if (instanceId is { } i)
        {
            _i = Check(i, nameof(instanceId));
            Level = Lwm2mPathLevel.ObjectInstance;
            if (resourceId is { } r)
            {
                _r = Check(r, nameof(resourceId));
                Level = Lwm2mPathLevel.Resource;
                if (resourceInstanceId is { } ri)
                {
                    _ri = Check(ri, nameof(resourceInstanceId));
                    Level = Lwm2mPathLevel.ResourceInstance;
                }
            }
            else if (resourceInstanceId is not null)
            {
                throw new ArgumentException("A resource instance id needs a resource id.", nameof(resourceInstanceId));
            }
        }
        else if (resourceId is not null || resourceInstanceId is not null)
        {
            throw new ArgumentException("A resource id needs an instance id.", nameof(resourceId));
        }
    }

    /// <summary>How many segments the path has.</summary>
    public Lwm2mPathLevel Level { get; }

    /// <summary>The object id, or null at root.</summary>
    public int? ObjectId => Level >= Lwm2mPathLevel.Object ? _o : null;

    /// <summary>The object instance id, or null above instance level.</summary>
    public int? InstanceId => Level >= Lwm2mPathLevel.ObjectInstance ? _i : null;

    /// <summary>The resource id, or null above resource level.</summary>
    public int? ResourceId => Level >= Lwm2mPathLevel.Resource ? _r : null;

    /// <summary>The resource instance id, or null above resource instance level.</summary>
    public int? ResourceInstanceId => Level >= Lwm2mPathLevel.ResourceInstance ? _ri : null;

    /// <summary>True for <c>/</c>.</summary>
    public bool IsRoot => Level == Lwm2mPathLevel.Root;

    /// <summary>The path one level down, e.g. <c>/3/0</c>.Append(1) is <c>/3/0/1</c>.</summary>
    public Lwm2mPath Append(int id) => Level switch
    {
        Lwm2mPathLevel.Root => new Lwm2mPath(id),
        Lwm2mPathLevel.Object => new Lwm2mPath(_o, id),
        Lwm2mPathLevel.ObjectInstance => new Lwm2mPath(_o, _i, id),
        Lwm2mPathLevel.Resource => new Lwm2mPath(_o, _i, _r, id),
        _ => throw new InvalidOperationException("A resource instance path has no children."),
    };

    /// <summary>The path one level up; the root's parent is the root.</summary>
    public Lwm2mPath Parent => Level switch
    {
        Lwm2mPathLevel.Root or Lwm2mPathLevel.Object => Root,
        Lwm2mPathLevel.ObjectInstance => new Lwm2mPath(Lwm2mPathLevel.Object, _o, 0, 0, 0),
        Lwm2mPathLevel.Resource => new Lwm2mPath(Lwm2mPathLevel.ObjectInstance, _o, _i, 0, 0),
        _ => new Lwm2mPath(Lwm2mPathLevel.Resource, _o, _i, _r, 0),
    };

    /// <summary>True when <paramref name="other"/> is this path or lies beneath it.</summary>
    public bool Contains(Lwm2mPath other)
    {
        if (other.Level < Level)
        {
            return false;
        }

        return (Level < Lwm2mPathLevel.Object || _o == other._o)
            && (Level < Lwm2mPathLevel.ObjectInstance || _i == other._i)
            && (Level < Lwm2mPathLevel.Resource || _r == other._r)
            && (Level < Lwm2mPathLevel.ResourceInstance || _ri == other._ri);
    }

    /// <summary>
    /// Parses <c>/</c>, <c>/3</c>, <c>/3/0/1</c> … A missing leading slash is accepted, and the empty
    /// string is the root (a request with no Uri-Path options). Ids are written in canonical decimal:
    /// no signs, no spaces, no leading zeros (<c>/03</c> is rejected, <c>/0</c> is fine), so every path
    /// has exactly one spelling and parsing the output of <see cref="ToString"/> gives the same path.
    /// </summary>
    public static Lwm2mPath Parse(string text) =>
        TryParse(text, out Lwm2mPath path) ? path : throw new FormatException($"'{text}' is not an LwM2M path like /3/0/1.");

    /// <summary>Parses a path; false for null, empty segments, non-digits, leading zeros, ids over 65534, or more than four segments.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Lwm2mPath path) => TryParse(text.AsSpan(), out path) && text is not null;

    /// <summary>Parses a path from characters, by the rules of <see cref="Parse(string)"/>.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Lwm2mPath path)
    {
        path = Root;
        if (!text.IsEmpty && text[0] == '/')
        {
            text = text[1..];
        }

        if (text.IsEmpty)
        {
            return true;
        }

        // A hand-rolled split: parsing runs once per SenML record, so it must not allocate.
        Span<ushort> ids = stackalloc ushort[4];
        int count = 0;
        while (true)
        {
            int slash = text.IndexOf('/');
            ReadOnlySpan<char> segment = slash < 0 ? text : text[..slash];
            if (count == 4 || segment.IsEmpty || segment.Length > 5 || segment.ContainsAnyExcept(Digits)
                || (segment.Length > 1 && segment[0] == '0')
                || !int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out int id) || id > MaxId)
            {
                return false;
            }

            ids[count++] = (ushort)id;
            if (slash < 0)
            {
                break;
            }

            text = text[(slash + 1)..];
        }

        path = new Lwm2mPath((Lwm2mPathLevel)count, ids[0], ids[1], ids[2], ids[3]);
        return true;
    }

    /// <summary>Orders paths depth-first: /3 &lt; /3/0 &lt; /3/0/1 &lt; /3/1 &lt; /4.</summary>
    public int CompareTo(Lwm2mPath other)
    {
        for (int level = 1; level <= 4; level++)
        {
            bool mine = (int)Level >= level, theirs = (int)other.Level >= level;
            if (!mine || !theirs)
            {
                return mine.CompareTo(theirs);
            }

            int c = Segment(level).CompareTo(other.Segment(level));
            if (c != 0)
            {
                return c;
            }
        }

        return 0;
    }

    /// <summary>Depth-first order.</summary>
    public static bool operator <(Lwm2mPath left, Lwm2mPath right) => left.CompareTo(right) < 0;
    /// <summary>Depth-first order.</summary>
    public static bool operator <=(Lwm2mPath left, Lwm2mPath right) => left.CompareTo(right) <= 0;
    /// <summary>Depth-first order.</summary>
    public static bool operator >(Lwm2mPath left, Lwm2mPath right) => left.CompareTo(right) > 0;
    /// <summary>Depth-first order.</summary>
    public static bool operator >=(Lwm2mPath left, Lwm2mPath right) => left.CompareTo(right) >= 0;

    private ushort Segment(int level) => level switch { 1 => _o, 2 => _i, 3 => _r, _ => _ri };

    /// <summary>Formats as <c>/o/i/r/ri</c>, or <c>/</c> for root.</summary>
    public override string ToString() => Level switch
    {
        Lwm2mPathLevel.Root => "/",
        Lwm2mPathLevel.Object => $"/{_o}",
        Lwm2mPathLevel.ObjectInstance => $"/{_o}/{_i}",
        Lwm2mPathLevel.Resource => $"/{_o}/{_i}/{_r}",
        _ => $"/{_o}/{_i}/{_r}/{_ri}",
    };
}
