namespace Tern.Coap.Dtls;

/// <summary>The DTLS 1.2 cipher suites Tern offers, by their IANA numbers.</summary>
public enum DtlsCipherSuite
{
    /// <summary>TLS_PSK_WITH_AES_128_CCM_8 (RFC 6655), mandatory for LwM2M PSK mode.</summary>
    PskWithAes128Ccm8 = 0xC0A8,

    /// <summary>TLS_PSK_WITH_AES_128_CBC_SHA256 (RFC 5487).</summary>
    PskWithAes128CbcSha256 = 0x00AE,

    /// <summary>TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 (RFC 7251), mandatory for LwM2M certificate mode.</summary>
    EcdheEcdsaWithAes128Ccm8 = 0xC0AE,

    /// <summary>TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 (RFC 5289).</summary>
    EcdheEcdsaWithAes128GcmSha256 = 0xC02B,
}
