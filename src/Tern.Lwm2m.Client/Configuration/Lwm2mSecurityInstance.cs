namespace Tern.Lwm2m.Client.Configuration;

/// <summary>
/// One instance of the LwM2M Security object (0): the account the client uses to reach one server.
/// </summary>
/// <param name="InstanceId">The object instance id (/0/x).</param>
/// <param name="ServerUri">/0/x/0, the server URI, e.g. <c>coap://host:5683</c>.</param>
/// <param name="IsBootstrapServer">/0/x/1, whether this account is the bootstrap server's.</param>
/// <param name="SecurityMode">/0/x/2.</param>
public sealed record Lwm2mSecurityInstance(ushort InstanceId, string ServerUri, bool IsBootstrapServer, Lwm2mSecurityMode SecurityMode)
{
    /// <summary>/0/x/3, the PSK identity or the client's public key or certificate.</summary>
    public ReadOnlyMemory<byte> PublicKeyOrIdentity { get; init; }

    /// <summary>/0/x/4, the server's certificate or public key (certificate mode), DER or PEM.</summary>
    public ReadOnlyMemory<byte> ServerPublicKey { get; init; }

    /// <summary>/0/x/15, the certificate usage (0 CA constraint … 3 domain-issued certificate); absent means 3.</summary>
    public byte? CertificateUsage { get; init; }

    /// <summary>/0/x/5, the PSK or the client's private key.</summary>
    public ReadOnlyMemory<byte> SecretKey { get; init; }

    /// <summary>/0/x/10, the short server id linking this account to a Server (1) instance; absent for the bootstrap server.</summary>
    public ushort? ShortServerId { get; init; }

    /// <summary>/0/x/11, the Client Hold Off Time: how long the client waits before its first Bootstrap-Request with this bootstrap-server account; absent means no wait.</summary>
    public TimeSpan? ClientHoldOffTime { get; init; }
}
