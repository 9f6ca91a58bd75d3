namespace Tern.Lwm2m.Client.Configuration;

/// <summary>The Security Mode resource /0/x/2 of an LwM2M Security object instance.</summary>
public enum Lwm2mSecurityMode
{
    /// <summary>Pre-shared key (0).</summary>
    PreSharedKey = 0,

    /// <summary>Raw public key (1).</summary>
    RawPublicKey = 1,

    /// <summary>X.509 certificate (2).</summary>
    Certificate = 2,

    /// <summary>No security (3).</summary>
    NoSec = 3,

    /// <summary>Certificate with EST (4).</summary>
    CertificateWithEst = 4,
}
