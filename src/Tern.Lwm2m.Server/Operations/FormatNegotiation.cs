using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Registrations;

namespace Tern.Lwm2m.Server.Operations;

/// <summary>
/// Picks the content format to ask a client for (Accept) or to write in: one it advertised with <c>&lt;/&gt;;ct=</c>
/// when it did, otherwise SenML CBOR for LwM2M 1.1+ and TLV for 1.0; and, after 4.06 or 4.15, one other format to try.
/// </summary>
internal static class FormatNegotiation
{
    private static readonly ushort[] Preference11 = [Lwm2mContentFormat.SenmlCbor, Lwm2mContentFormat.SenmlJson, Lwm2mContentFormat.Lwm2mCbor, Lwm2mContentFormat.Tlv, Lwm2mContentFormat.OmaJson];
    private static readonly ushort[] Preference10 = [Lwm2mContentFormat.Tlv, Lwm2mContentFormat.OmaJson];

    /// <summary>The first format to use with <paramref name="registration"/>.</summary>
    public static ushort Preferred(Registration registration, Lwm2mFormatsView formats)
    {
        ushort[] order = registration.IsAtLeast11 ? Preference11 : Preference10;
        if (registration.ContentFormats.Count > 0)
        {
            foreach (ushort format in order)
            {
                if (registration.ContentFormats.Contains(format) && formats.Knows(format))
                {
                    return format;
                }
            }
        }

        return order[0];
    }

    /// <summary>The format to retry in after the client refused <paramref name="refused"/>, or null when there is none left.</summary>
    public static ushort? Fallback(Registration registration, Lwm2mPath path, ushort refused, Lwm2mFormatsView formats)
    {
        bool singleValue = path.Level >= Lwm2mPathLevel.Resource;
        var candidates = new List<ushort>();
        if (registration.IsAtLeast11)
        {
            candidates.AddRange([Lwm2mContentFormat.SenmlJson, Lwm2mContentFormat.SenmlCbor]);
        }

        if (singleValue)
        {
            candidates.Add(Lwm2mContentFormat.Text);
        }

        candidates.AddRange([Lwm2mContentFormat.Tlv, Lwm2mContentFormat.OmaJson]);
        IEnumerable<ushort> ordered = registration.ContentFormats.Count > 0
            ? candidates.Where(registration.ContentFormats.Contains).Concat(candidates)
            : candidates;
        foreach (ushort format in ordered)
        {
            if (format != refused && formats.Knows(format))
            {
                return format;
            }
        }

        return null;
    }
}

/// <summary>The content formats the server can encode and decode.</summary>
internal readonly record struct Lwm2mFormatsView(Lwm2mContentFormatRegistry Registry)
{
    public bool Knows(ushort format) => Registry.TryGet(format, out _);
}
