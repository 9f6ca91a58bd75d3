using System.Security.Cryptography;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Firmware;

/// <summary>The verdict of an <see cref="IFirmwareVerifier"/> on a fully stored package.</summary>
/// <param name="IsValid">True when the package may be installed.</param>
/// <param name="Failure">The Update Result to report when refused: <see cref="FirmwareUpdateResult.IntegrityCheckFailure"/> or <see cref="FirmwareUpdateResult.UnsupportedPackageType"/>.</param>
/// <param name="Reason">Why it was refused, for logs and events.</param>
public sealed record FirmwareVerificationResult(bool IsValid, FirmwareUpdateResult Failure, string? Reason)
{
    /// <summary>The package is good.</summary>
    public static FirmwareVerificationResult Valid { get; } = new(true, FirmwareUpdateResult.Initial, null);

    /// <summary>The package's content does not match what was expected (Update Result 5).</summary>
    /// <param name="reason">What did not match.</param>
    public static FirmwareVerificationResult IntegrityFailure(string reason) => new(false, FirmwareUpdateResult.IntegrityCheckFailure, reason);

    /// <summary>The package is not something this device can install (Update Result 6).</summary>
    /// <param name="reason">Why.</param>
    public static FirmwareVerificationResult UnsupportedType(string reason) => new(false, FirmwareUpdateResult.UnsupportedPackageType, reason);
}

/// <summary>
/// The application's check of a package once it is stored whole: it gets the bytes as a stream read from storage
/// (never as one array). <see cref="Crc32FirmwareVerifier"/> and <see cref="Sha256FirmwareVerifier"/> are built in.
/// </summary>
public interface IFirmwareVerifier
{
    /// <summary>Reads <paramref name="package"/> to its end and judges it.</summary>
    /// <param name="package">The stored package, positioned at its start.</param>
    /// <param name="cancellationToken">Stops the check.</param>
    ValueTask<FirmwareVerificationResult> VerifyAsync(Stream package, CancellationToken cancellationToken);
}

/// <summary>Accepts a package whose CRC-32 equals the expected value.</summary>
/// <param name="expected">The CRC-32 the package must have.</param>
public sealed class Crc32FirmwareVerifier(uint expected) : IFirmwareVerifier
{
    /// <summary>The CRC-32 the package must have.</summary>
    public uint Expected { get; } = expected;

    /// <inheritdoc />
    public async ValueTask<FirmwareVerificationResult> VerifyAsync(Stream package, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(package);
        var crc = default(Crc32);
        byte[] buffer = new byte[64 * 1024];
        int read;
        while ((read = await package.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            crc.Append(buffer.AsSpan(0, read));
        }

        return crc.Value == Expected
            ? FirmwareVerificationResult.Valid
            : FirmwareVerificationResult.IntegrityFailure($"CRC-32 is {crc.Value:x8}, expected {Expected:x8}");
    }
}

/// <summary>Accepts a package whose SHA-256 digest equals the expected one.</summary>
public sealed class Sha256FirmwareVerifier : IFirmwareVerifier
{
    private readonly byte[] _expected;

    /// <summary>Expects <paramref name="expected"/>, 32 bytes.</summary>
    /// <param name="expected">The digest the package must have.</param>
    public Sha256FirmwareVerifier(ReadOnlySpan<byte> expected)
    {
        if (expected.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException($"A SHA-256 digest is {SHA256.HashSizeInBytes} bytes, not {expected.Length}.", nameof(expected));
        }

        _expected = expected.ToArray();
    }

    /// <inheritdoc />
    public async ValueTask<FirmwareVerificationResult> VerifyAsync(Stream package, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(package);
        byte[] digest = await SHA256.HashDataAsync(package, cancellationToken).ConfigureAwait(false);
        return CryptographicOperations.FixedTimeEquals(digest, _expected)
            ? FirmwareVerificationResult.Valid
            : FirmwareVerificationResult.IntegrityFailure($"SHA-256 is {Convert.ToHexStringLower(digest)}, expected {Convert.ToHexStringLower(_expected)}");
    }
}
