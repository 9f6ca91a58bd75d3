namespace Tern.Lwm2m.Model;

/// <summary>An Objlnk value: an object id and an instance id (65535:65535 is the null link).</summary>
/// <param name="ObjectId">The object id.</param>
/// <param name="InstanceId">The instance id.</param>
public readonly record struct Lwm2mObjectLink(ushort ObjectId, ushort InstanceId)
{
    /// <summary>The null link, 65535:65535.</summary>
    public static Lwm2mObjectLink Null => new(ushort.MaxValue, ushort.MaxValue);

    /// <summary>Parses <c>3:0</c>.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Lwm2mObjectLink link)
    {
        link = default;
        int colon = text.IndexOf(':');
        if (colon < 0 || !ushort.TryParse(text[..colon], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ushort o)
            || !ushort.TryParse(text[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ushort i))
        {
            return false;
        }

        link = new Lwm2mObjectLink(o, i);
        return true;
    }

    /// <summary>Formats as <c>o:i</c>.</summary>
    public override string ToString() => $"{ObjectId}:{InstanceId}";
}
