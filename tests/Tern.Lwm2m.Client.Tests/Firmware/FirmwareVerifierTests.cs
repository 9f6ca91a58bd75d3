using System.Security.Cryptography;
using Tern.Lwm2m.Client.Firmware;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Tests.Firmware;

public class FirmwareVerifierTests
{
    [Fact]
    public async Task Crc32_verifier_accepts_the_matching_package_and_refuses_a_changed_one_with_result_5()
    {
        byte[] image = Images.Random(200_000, 1);
        var verifier = new Crc32FirmwareVerifier(Crc32.Compute(image));

        FirmwareVerificationResult good = await verifier.VerifyAsync(new MemoryStream(image), default);
        image[123_456] ^= 0x40;
        FirmwareVerificationResult bad = await verifier.VerifyAsync(new MemoryStream(image), default);

        Assert.True(good.IsValid);
        Assert.False(bad.IsValid);
        Assert.Equal(FirmwareUpdateResult.IntegrityCheckFailure, bad.Failure);
    }

    [Fact]
    public async Task Sha256_verifier_accepts_the_matching_package_and_refuses_a_changed_one()
    {
        byte[] image = Images.Random(70_000, 2);
        var verifier = new Sha256FirmwareVerifier(SHA256.HashData(image));

        FirmwareVerificationResult good = await verifier.VerifyAsync(new MemoryStream(image), default);
        image[^1] ^= 1;
        FirmwareVerificationResult bad = await verifier.VerifyAsync(new MemoryStream(image), default);

        Assert.True(good.IsValid);
        Assert.Equal(FirmwareUpdateResult.IntegrityCheckFailure, bad.Failure);
    }

    [Fact]
    public void Sha256_verifier_refuses_a_digest_of_the_wrong_length() =>
        Assert.Throws<ArgumentException>(() => new Sha256FirmwareVerifier(new byte[20]));
}
