namespace Tern.Lwm2m.Client.Firmware;

/// <summary>Resource /5/0/11, Severity of the image.</summary>
public enum FirmwareSeverity
{
    /// <summary>0: critical.</summary>
    Critical = 0,

    /// <summary>1: mandatory (the default).</summary>
    Mandatory = 1,

    /// <summary>2: optional.</summary>
    Optional = 2,
}

/// <summary>Resource /5/0/9, Firmware Update Delivery Method.</summary>
public enum FirmwareDeliveryMethod
{
    /// <summary>0: pull only (Package URI).</summary>
    PullOnly = 0,

    /// <summary>1: push only (Package).</summary>
    PushOnly = 1,

    /// <summary>2: both.</summary>
    Both = 2,
}

/// <summary>Resource /5/0/8 values: the protocols the client can pull a package with.</summary>
public enum FirmwareUpdateProtocol
{
    /// <summary>0: CoAP with block-wise transfer.</summary>
    Coap = 0,

    /// <summary>1: CoAP over DTLS with block-wise transfer.</summary>
    Coaps = 1,

    /// <summary>2: HTTP 1.1.</summary>
    Http = 2,

    /// <summary>3: HTTPS 1.1.</summary>
    Https = 3,

    /// <summary>4: CoAP over TCP.</summary>
    CoapTcp = 4,

    /// <summary>5: CoAP over TLS.</summary>
    CoapTls = 5,
}
