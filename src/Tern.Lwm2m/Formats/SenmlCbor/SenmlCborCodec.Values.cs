using System.Text;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Formats.SenmlCbor;

public sealed partial class SenmlCborCodec
{
    /// <summary>Turns a record's raw value into a typed value for the resource's type (null when unknown).</summary>
    private static Lwm2mCodecError? Convert(ref RawValue raw, Lwm2mResourceType? expected, Lwm2mPath path, out Lwm2mValue value)
    {
        value = default;
        switch (raw.Kind)
        {
            case RawKind.Number:
                switch (expected)
                {
                    case null:
                        value = raw.IsFloat ? Lwm2mValue.FromFloat(raw.Float)
                            : raw.IsNegative ? Lwm2mValue.FromInteger(raw.Signed)
                            : raw.Unsigned > long.MaxValue ? Lwm2mValue.FromUnsignedInteger(raw.Unsigned)
                            : Lwm2mValue.FromInteger((long)raw.Unsigned);
                        return null;
                    case Lwm2mResourceType.Integer when !raw.IsFloat && (raw.IsNegative || raw.Unsigned <= long.MaxValue):
                        value = Lwm2mValue.FromInteger(raw.IsNegative ? raw.Signed : (long)raw.Unsigned);
                        return null;
                    case Lwm2mResourceType.UnsignedInteger when !raw.IsFloat && !raw.IsNegative:
                        value = Lwm2mValue.FromUnsignedInteger(raw.Unsigned);
                        return null;
                    case Lwm2mResourceType.Float:
                        value = Lwm2mValue.FromFloat(raw.IsFloat ? raw.Float : raw.IsNegative ? raw.Signed : raw.Unsigned);
                        return null;
                    case Lwm2mResourceType.Time when !raw.IsFloat && (raw.IsNegative || raw.Unsigned <= long.MaxValue):
                        value = Lwm2mValue.FromUnixTime(raw.IsNegative ? raw.Signed : (long)raw.Unsigned);
                        return null;
                    case Lwm2mResourceType.Time when raw.IsFloat && raw.Float is >= -62135596800.0 and <= 253402300799.0:
                        value = Lwm2mValue.FromUnixTime((long)Math.Floor(raw.Float));
                        return null;
                    default:
                        return Mismatch(ref raw, path, expected.Value, raw.IsFloat ? "a float" : raw.IsNegative ? "a negative number" : "a number");
                }

            case RawKind.Text:
                if (expected is null or Lwm2mResourceType.String)
                {
                    value = Lwm2mValue.FromString(Encoding.UTF8.GetString(raw.Bytes));
                    return null;
                }

                if (expected == Lwm2mResourceType.Corelnk)
                {
                    value = Lwm2mValue.FromCoreLink(Encoding.UTF8.GetString(raw.Bytes));
                    return null;
                }

                return Mismatch(ref raw, path, expected.Value, "vs text");
            case RawKind.Boolean:
                if (expected is null or Lwm2mResourceType.Boolean)
                {
                    value = Lwm2mValue.FromBoolean(raw.Boolean);
                    return null;
                }

                return Mismatch(ref raw, path, expected.Value, "vb boolean");
            case RawKind.Bytes:
                if (expected is null or Lwm2mResourceType.Opaque)
                {
                    value = Lwm2mValue.FromOpaque(raw.Bytes.ToArray());
                    return null;
                }

                return Mismatch(ref raw, path, expected.Value, "vd bytes");
            default:
                if (expected is not (null or Lwm2mResourceType.Objlnk))
                {
                    return Mismatch(ref raw, path, expected.Value, "a vlo object link");
                }

                Span<char> chars = stackalloc char[11];
                if (raw.Bytes.Length > chars.Length)
                {
                    return Mismatch(ref raw, path, Lwm2mResourceType.Objlnk, "vlo text that is not oid:iid");
                }

                int n = Encoding.UTF8.GetChars(raw.Bytes, chars);
                if (!Lwm2mObjectLink.TryParse(chars[..n], out Lwm2mObjectLink link))
                {
                    return Mismatch(ref raw, path, Lwm2mResourceType.Objlnk, "vlo text that is not oid:iid");
                }

                value = Lwm2mValue.FromObjectLink(link);
                return null;
        }
    }

    private static Lwm2mCodecError Mismatch(ref RawValue raw, Lwm2mPath path, Lwm2mResourceType expected, string found) =>
        new(Lwm2mCodecErrorKind.TypeMismatch, $"{path} is {expected} but the record holds {found}.", raw.Offset);
}
