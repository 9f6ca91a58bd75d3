namespace Tern.Lwm2m.Formats;

/// <summary>CoAP Content-Format numbers LwM2M uses (TS Core §7.4; IANA CoAP registry).</summary>
public static class Lwm2mContentFormat
{
    /// <summary>text/plain; charset=utf-8.</summary>
    public const ushort Text = 0;
    /// <summary>application/link-format (RFC 6690).</summary>
    public const ushort LinkFormat = 40;
    /// <summary>application/octet-stream.</summary>
    public const ushort Opaque = 42;
    /// <summary>application/cbor, for single values (LwM2M 1.1).</summary>
    public const ushort Cbor = 60;
    /// <summary>application/senml+json (RFC 8428).</summary>
    public const ushort SenmlJson = 110;
    /// <summary>application/senml+cbor (RFC 8428).</summary>
    public const ushort SenmlCbor = 112;
    /// <summary>application/vnd.oma.lwm2m+tlv.</summary>
    public const ushort Tlv = 11542;
    /// <summary>application/vnd.oma.lwm2m+json (the LwM2M 1.0 JSON).</summary>
    public const ushort OmaJson = 11543;
    /// <summary>application/vnd.oma.lwm2m+cbor (LwM2M 1.2).</summary>
    public const ushort Lwm2mCbor = 11544;
}
