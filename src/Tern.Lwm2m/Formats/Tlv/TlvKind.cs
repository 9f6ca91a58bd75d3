namespace Tern.Lwm2m.Formats.Tlv;

/// <summary>The four TLV element types of LwM2M TS Core §7.4.3 (bits 7–6 of the type byte).</summary>
internal enum TlvKind : byte
{
    /// <summary>00: an object instance holding resource TLVs.</summary>
    ObjectInstance = 0,
    /// <summary>01: one instance of a multiple resource, with its value.</summary>
    ResourceInstance = 1,
    /// <summary>10: a multiple resource holding resource-instance TLVs.</summary>
    MultipleResource = 2,
    /// <summary>11: a single resource with its value.</summary>
    ResourceWithValue = 3,
}

/// <summary>One parsed TLV header: the element's kind, id, and where its value lies in the whole payload.</summary>
/// <param name="Kind">The element type.</param>
/// <param name="Id">The object-instance, resource or resource-instance id.</param>
/// <param name="Start">The offset of the type byte.</param>
/// <param name="ValueStart">The offset of the first value byte.</param>
/// <param name="Length">The number of value bytes.</param>
internal readonly record struct TlvElement(TlvKind Kind, int Id, int Start, int ValueStart, int Length)
{
    /// <summary>The offset just past the value.</summary>
    public int End => ValueStart + Length;
}
