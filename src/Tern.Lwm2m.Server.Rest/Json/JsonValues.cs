using System.Globalization;
using System.Text.Json;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Server.Rest.Json;

/// <summary>
/// Converts single LwM2M values to and from the JSON the REST API speaks: numbers for Integer,
/// UnsignedInteger and Float, <c>true</c>/<c>false</c> for Boolean, base64 for Opaque, an ISO 8601
/// string for Time (a number of Unix seconds is accepted too), <c>"3:0"</c> for Objlnk, plain strings
/// for String and Corelnk.
/// </summary>
public static class JsonValues
{
    /// <summary>Parses a type name such as <c>Integer</c> or <c>integer</c> (case-insensitive); <c>None</c> is refused.</summary>
    public static bool TryParseType(string? name, out Lwm2mResourceType type)
    {
        if (name is not null && !name.All(char.IsDigit) && Enum.TryParse(name, ignoreCase: true, out type) && type != Lwm2mResourceType.None)
        {
            return true;
        }
        type = Lwm2mResourceType.None;
        return false;
    }

    /// <summary>The names <see cref="TryParseType"/> accepts, for error messages.</summary>
    public static string TypeNames { get; } = string.Join(", ", Enum.GetNames<Lwm2mResourceType>().Where(n => n != nameof(Lwm2mResourceType.None)));

    /// <summary>Writes <paramref name="value"/> as a JSON element.</summary>
    public static JsonElement ToJson(Lwm2mValue value)
    {
        var ctx = RestJson.Context;
        return value.Type switch
        {
            Lwm2mResourceType.String or Lwm2mResourceType.Corelnk => JsonSerializer.SerializeToElement(value.AsString(), ctx.String),
            Lwm2mResourceType.Integer => JsonSerializer.SerializeToElement(value.AsInteger(), ctx.Int64),
            Lwm2mResourceType.UnsignedInteger => JsonSerializer.SerializeToElement(value.AsUnsignedInteger(), ctx.UInt64),
            Lwm2mResourceType.Float when double.IsFinite(value.AsFloat()) => JsonSerializer.SerializeToElement(value.AsFloat(), ctx.Double),
            Lwm2mResourceType.Float => JsonSerializer.SerializeToElement(value.AsFloat().ToString(CultureInfo.InvariantCulture), ctx.String),
            Lwm2mResourceType.Boolean => JsonSerializer.SerializeToElement(value.AsBoolean(), ctx.Boolean),
            Lwm2mResourceType.Opaque => JsonSerializer.SerializeToElement(Convert.ToBase64String(value.AsOpaque()), ctx.String),
            Lwm2mResourceType.Time => JsonSerializer.SerializeToElement(
                value.AsTime().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), ctx.String),
            Lwm2mResourceType.Objlnk => JsonSerializer.SerializeToElement(value.AsObjectLink().ToString(), ctx.String),
            _ => JsonSerializer.SerializeToElement<string?>(null, ctx.String),
        };
    }

    /// <summary>
    /// Reads a value of <paramref name="type"/> from <paramref name="json"/>. On failure returns false and
    /// a message that names the type and what was wrong; never throws on bad input.
    /// </summary>
    public static bool TryFromJson(JsonElement json, Lwm2mResourceType type, out Lwm2mValue value, out string error)
    {
        value = default;
        error = string.Empty;
        switch (type)
        {
            case Lwm2mResourceType.String when json.ValueKind == JsonValueKind.String:
                value = Lwm2mValue.FromString(json.GetString()!);
                return true;
            case Lwm2mResourceType.Corelnk when json.ValueKind == JsonValueKind.String:
                value = Lwm2mValue.FromCoreLink(json.GetString()!);
                return true;
            case Lwm2mResourceType.Integer when json.ValueKind == JsonValueKind.Number && json.TryGetInt64(out long l):
                value = Lwm2mValue.FromInteger(l);
                return true;
            case Lwm2mResourceType.UnsignedInteger when json.ValueKind == JsonValueKind.Number && json.TryGetUInt64(out ulong u):
                value = Lwm2mValue.FromUnsignedInteger(u);
                return true;
            case Lwm2mResourceType.Float when json.ValueKind == JsonValueKind.Number && json.TryGetDouble(out double d) && double.IsFinite(d):
                value = Lwm2mValue.FromFloat(d);
                return true;
            case Lwm2mResourceType.Boolean when json.ValueKind is JsonValueKind.True or JsonValueKind.False:
                value = Lwm2mValue.FromBoolean(json.GetBoolean());
                return true;
            case Lwm2mResourceType.Opaque when json.ValueKind == JsonValueKind.String && json.TryGetBytesFromBase64(out byte[]? bytes):
                value = Lwm2mValue.FromOpaque(bytes);
                return true;
            case Lwm2mResourceType.Time when json.ValueKind == JsonValueKind.Number && json.TryGetInt64(out long seconds):
                value = Lwm2mValue.FromUnixTime(seconds);
                return true;
            case Lwm2mResourceType.Time when json.ValueKind == JsonValueKind.String
                && DateTimeOffset.TryParse(json.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset time):
                value = Lwm2mValue.FromTime(time);
                return true;
            case Lwm2mResourceType.Objlnk when json.ValueKind == JsonValueKind.String && Lwm2mObjectLink.TryParse(json.GetString(), out Lwm2mObjectLink link):
                value = Lwm2mValue.FromObjectLink(link);
                return true;
            default:
                error = $"{Describe(json)} is not a valid {type} value; expected {Expected(type)}.";
                return false;
        }
    }

    private static string Expected(Lwm2mResourceType type) => type switch
    {
        Lwm2mResourceType.String or Lwm2mResourceType.Corelnk => "a JSON string",
        Lwm2mResourceType.Integer => "a whole number within the signed 64-bit range",
        Lwm2mResourceType.UnsignedInteger => "a whole number from 0 to 18446744073709551615",
        Lwm2mResourceType.Float => "a finite JSON number",
        Lwm2mResourceType.Boolean => "true or false",
        Lwm2mResourceType.Opaque => "a base64 string",
        Lwm2mResourceType.Time => "an ISO 8601 date-time string or a number of Unix seconds",
        Lwm2mResourceType.Objlnk => "a string \"objectId:instanceId\"",
        _ => "no value",
    };

    private static string Describe(JsonElement json)
    {
        string raw = json.ValueKind == JsonValueKind.Undefined ? "a missing value" : json.GetRawText();
        return raw.Length > 40 ? string.Concat(raw.AsSpan(0, 40), "…") : raw;
    }
}
