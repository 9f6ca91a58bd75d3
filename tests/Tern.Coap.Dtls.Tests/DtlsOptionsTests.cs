using Tern.Coap.Dtls.Tests.Support;

namespace Tern.Coap.Dtls.Tests;

/// <summary>Misconfiguration is caught before any packet is sent.</summary>
public sealed class DtlsOptionsTests
{
    [Fact]
    public void Client_needs_exactly_one_kind_of_credentials()
    {
        Assert.Throws<ArgumentException>(() => new DtlsClientOptions().Validate());
        var ca = TestCertificates.CreateCa("ca");
        Assert.Throws<ArgumentException>(() => new DtlsClientOptions
        {
            PskIdentity = "a",
            PskKey = new byte[] { 1 },
            Certificate = ca.Credentials(),
            ServerCertificate = ca.Certificate,
        }.Validate());
    }

    [Fact]
    public void Client_refuses_a_certificate_suite_in_psk_mode()
    {
        var options = new DtlsClientOptions { PskIdentity = "a", PskKey = new byte[] { 1 }, CipherSuites = [DtlsCipherSuite.EcdheEcdsaWithAes128Ccm8] };

        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("EcdheEcdsaWithAes128Ccm8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Server_requiring_client_certificates_needs_anchors()
    {
        var ca = TestCertificates.CreateCa("ca");

        Assert.Throws<ArgumentException>(() => new DtlsServerOptions { Certificate = ca.Credentials() }.Validate());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(9)]
    public void Unsupported_security_modes_fail_at_once_with_their_own_kind(int mode)
    {
        var error = Assert.Throws<DtlsException>(() => DtlsSecurityModes.EnsureSupported(mode));

        Assert.Equal(DtlsErrorKind.UnsupportedMode, error.Kind);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(3)]
    public void Psk_certificate_and_nosec_modes_are_supported(int mode) => DtlsSecurityModes.EnsureSupported(mode);
}
