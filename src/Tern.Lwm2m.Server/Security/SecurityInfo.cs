namespace Tern.Lwm2m.Server.Security;

/// <summary>
/// How one endpoint must authenticate to the server: with a pre-shared key (identity and key), or with an X.509
/// certificate whose subject common name is the endpoint name. A client registering under this endpoint name over
/// plain CoAP, or over DTLS with other credentials, is refused with 4.03.
/// </summary>
public sealed record SecurityInfo
{
    private SecurityInfo(string endpoint, string? pskIdentity, ReadOnlyMemory<byte> pskKey, bool certificate)
    {
        Endpoint = endpoint;
        PskIdentity = pskIdentity;
        PskKey = pskKey;
        UsesCertificate = certificate;
    }

    /// <summary>The endpoint client name these credentials belong to.</summary>
    public string Endpoint { get; }

    /// <summary>The PSK identity (UTF-8 on the wire), or null for certificate authentication.</summary>
    public string? PskIdentity { get; }

    /// <summary>The pre-shared key; empty for certificate authentication.</summary>
    public ReadOnlyMemory<byte> PskKey { get; }

    /// <summary>True when the endpoint authenticates with a certificate whose common name is <see cref="Endpoint"/>.</summary>
    public bool UsesCertificate { get; }

    /// <summary>PSK credentials for <paramref name="endpoint"/>.</summary>
    /// <exception cref="ArgumentException">An argument is empty.</exception>
    public static SecurityInfo ForPsk(string endpoint, string identity, ReadOnlySpan<byte> key)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        ArgumentException.ThrowIfNullOrEmpty(identity);
        if (key.IsEmpty)
        {
            throw new ArgumentException("A pre-shared key must not be empty.", nameof(key));
        }

        return new SecurityInfo(endpoint, identity, key.ToArray(), certificate: false);
    }

    /// <summary>Certificate authentication for <paramref name="endpoint"/> (the client's certificate CN must equal it).</summary>
    /// <exception cref="ArgumentException">The endpoint name is empty.</exception>
    public static SecurityInfo ForCertificate(string endpoint)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        return new SecurityInfo(endpoint, null, ReadOnlyMemory<byte>.Empty, certificate: true);
    }

    /// <summary>Whether two entries hold the same credentials (keys compared by content).</summary>
    public bool Equals(SecurityInfo? other) =>
        other is not null && Endpoint == other.Endpoint && PskIdentity == other.PskIdentity
        && UsesCertificate == other.UsesCertificate && PskKey.Span.SequenceEqual(other.PskKey.Span);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Endpoint, PskIdentity, UsesCertificate);

    /// <summary>Never prints the key.</summary>
    public override string ToString() => UsesCertificate ? $"{Endpoint}: certificate" : $"{Endpoint}: PSK identity '{PskIdentity}'";
}
