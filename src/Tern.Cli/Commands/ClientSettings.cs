using Tern.Lwm2m.Client.Configuration;

namespace Tern.Cli.Commands;

/// <summary>What <c>tern client</c> was asked to run, after option parsing.</summary>
/// <param name="ServerUri">The LwM2M (or, with <paramref name="Bootstrap"/>, bootstrap) server URI, coap:// or coaps://.</param>
/// <param name="Endpoint">The endpoint client name.</param>
/// <param name="Bootstrap">True when <paramref name="ServerUri"/> is a bootstrap server.</param>
/// <param name="StateDirectory">Where saved state (from an earlier bootstrap) is read; null for none.</param>
/// <param name="PskIdentity">The PSK identity for coaps://, or null for NoSec.</param>
/// <param name="PskKey">The PSK, with <paramref name="PskIdentity"/>.</param>
/// <param name="Lifetime">The registration lifetime.</param>
internal sealed record ClientSettings(string ServerUri, string Endpoint, bool Bootstrap, string? StateDirectory, string? PskIdentity, byte[]? PskKey, TimeSpan Lifetime)
{
    /// <summary>The client certificate file (PEM or DER, /0/x/3) for certificate mode, or null.</summary>
    public string? CertificateFile { get; init; }

    /// <summary>The client's private key file (PEM or DER, /0/x/5), with <see cref="CertificateFile"/>.</summary>
    public string? PrivateKeyFile { get; init; }

    /// <summary>The server certificate file (PEM or DER, /0/x/4, pinned), with <see cref="CertificateFile"/>.</summary>
    public string? ServerCertificateFile { get; init; }

    /// <summary>The one LwM2M version to register with (<c>--lwm2m-version</c>); null offers 1.2, 1.1 and 1.0.</summary>
    public Tern.Lwm2m.Client.Engine.Lwm2mVersion? Version { get; init; }

    /// <summary>The binding of the Server instance (<c>--binding</c>): <c>U</c> or <c>UQ</c> (queue mode).</summary>
    public string Binding { get; init; } = "U";

    /// <summary>The preferred content format advertised at registration (<c>--format</c>), or null for the client's default.</summary>
    public ushort? PreferredContentFormat { get; init; }

    /// <summary>Where the message sequence chart goes when the client stops (<c>--msc</c>), or null for none.</summary>
    public string? MscPath { get; init; }

    /// <summary>The factory configuration these settings describe: one Security instance, and a Server instance unless bootstrapping.</summary>
    /// <exception cref="IOException">A certificate or key file cannot be read.</exception>
    public Lwm2mClientConfiguration ToConfiguration()
    {
        var mode = CertificateFile is not null ? Lwm2mSecurityMode.Certificate : PskIdentity is null ? Lwm2mSecurityMode.NoSec : Lwm2mSecurityMode.PreSharedKey;
        var security = mode == Lwm2mSecurityMode.Certificate
            ? new Lwm2mSecurityInstance(0, ServerUri, Bootstrap, mode)
            {
                ShortServerId = Bootstrap ? null : (ushort)1,
                PublicKeyOrIdentity = File.ReadAllBytes(CertificateFile!),
                SecretKey = File.ReadAllBytes(PrivateKeyFile!),
                ServerPublicKey = File.ReadAllBytes(ServerCertificateFile!),
            }
            : new Lwm2mSecurityInstance(0, ServerUri, Bootstrap, mode)
            {
                ShortServerId = Bootstrap ? null : (ushort)1,
                PublicKeyOrIdentity = PskIdentity is null ? ReadOnlyMemory<byte>.Empty : System.Text.Encoding.UTF8.GetBytes(PskIdentity),
                SecretKey = PskKey ?? ReadOnlyMemory<byte>.Empty,
            };
        return new Lwm2mClientConfiguration([security], Bootstrap ? [] : [new Lwm2mServerInstance(0, 1, Lifetime, Binding)]);
    }
}
