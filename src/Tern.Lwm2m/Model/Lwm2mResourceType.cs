namespace Tern.Lwm2m.Model;

/// <summary>The resource data types of LwM2M TS Core Appendix C.</summary>
public enum Lwm2mResourceType
{
    /// <summary>No value (executable resources).</summary>
    None = 0,
    /// <summary>UTF-8 string.</summary>
    String,
    /// <summary>Signed 64-bit integer.</summary>
    Integer,
    /// <summary>Unsigned 64-bit integer (LwM2M 1.1).</summary>
    UnsignedInteger,
    /// <summary>IEEE 754 float (32 or 64 bits on the wire).</summary>
    Float,
    /// <summary>Boolean.</summary>
    Boolean,
    /// <summary>Opaque bytes.</summary>
    Opaque,
    /// <summary>Time: seconds since the Unix epoch.</summary>
    Time,
    /// <summary>Object link: object id and instance id.</summary>
    Objlnk,
    /// <summary>CoRE link (RFC 6690) as a string (LwM2M 1.1).</summary>
    Corelnk,
}
