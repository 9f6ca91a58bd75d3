namespace Tern.Lwm2m.Client.Reporting;

/// <summary>How a Write-Attributes request ended.</summary>
public enum AttributeWriteStatus
{
    /// <summary>The attributes were stored (2.04 Changed).</summary>
    Changed,

    /// <summary>The query is malformed or breaks a rule between attributes (4.00 Bad Request).</summary>
    BadRequest,

    /// <summary>Nothing exists at the path (4.04 Not Found).</summary>
    NotFound,

    /// <summary>Attributes cannot be written on this path, e.g. the root (4.05 Method Not Allowed).</summary>
    MethodNotAllowed,
}

/// <summary>The outcome of a Write-Attributes request.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Error">Why it was refused, or null.</param>
public readonly record struct AttributeWriteResult(AttributeWriteStatus Status, string? Error)
{
    /// <summary>The CoAP response code to answer with, written "c.dd".</summary>
    public string CoapCode => Status switch
    {
        AttributeWriteStatus.Changed => "2.04",
        AttributeWriteStatus.NotFound => "4.04",
        AttributeWriteStatus.MethodNotAllowed => "4.05",
        _ => "4.00",
    };

    /// <summary>True when the attributes were stored.</summary>
    public bool IsSuccess => Status == AttributeWriteStatus.Changed;

    internal static AttributeWriteResult Bad(string error) => new(AttributeWriteStatus.BadRequest, error);
}
