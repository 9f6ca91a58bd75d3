using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Server.Bootstrap;

/// <summary>One instance (or resource) the bootstrap server writes: a node at a path.</summary>
public sealed record BootstrapWrite(Lwm2mPath Path, Lwm2mNode Node);

/// <summary>
/// What the bootstrap server does for one endpoint on Bootstrap-Request: optionally Bootstrap-Discover, then
/// Bootstrap-Read of <see cref="Reads"/>, then delete <see cref="Deletes"/>, write <see cref="Writes"/> in order, and finish.
/// </summary>
public sealed record BootstrapConfiguration
{
    private readonly Lwm2mPath _discoverPath = Lwm2mPath.Root;
    private readonly IReadOnlyList<Lwm2mPath> _reads = [];

    /// <summary>Paths to delete first (default: "/", which a client applies to everything but the bootstrap account).</summary>
    public IReadOnlyList<Lwm2mPath> Deletes { get; init; } = [Lwm2mPath.Root];

    /// <summary>The instances to write (Security, Server, and any other object), in order.</summary>
    public IReadOnlyList<BootstrapWrite> Writes { get; init; } = [];

    /// <summary>When true, a Bootstrap-Discover of <see cref="DiscoverPath"/> comes first; its links are reported in the session result.</summary>
    public bool Discover { get; init; }

    /// <summary>What Bootstrap-Discover asks about: "/" (the default) or one object such as "/0" (LwM2M 1.1 §5.2.7.5).</summary>
    /// <exception cref="ArgumentException">The path is an instance or a resource.</exception>
    public Lwm2mPath DiscoverPath
    {
        get => _discoverPath;
        init => _discoverPath = value.IsRoot || value.Level == Lwm2mPathLevel.Object ? value
            : throw new ArgumentException($"Bootstrap-Discover targets \"/\" or an object, not {value}.", nameof(DiscoverPath));
    }

    /// <summary>
    /// Objects or instances to read with Bootstrap-Read before anything is deleted, e.g. the Server accounts the client
    /// already has; the nodes are reported in <see cref="BootstrapSessionEventArgs.Read"/>. LwM2M 1.1 allows only the
    /// Server (1) and Access Control (2) objects. A refused read does not fail the session (a 1.0 client has no
    /// Bootstrap-Read), and no read is sent when Bootstrap-Discover showed a 1.0 client.
    /// </summary>
    /// <exception cref="ArgumentException">A path is not /1, /2 or one of their instances.</exception>
    public IReadOnlyList<Lwm2mPath> Reads
    {
        get => _reads;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            foreach (Lwm2mPath path in value)
            {
                if (path.ObjectId is not (1 or 2) || path.Level > Lwm2mPathLevel.ObjectInstance)
                {
                    throw new ArgumentException($"Bootstrap-Read reaches only the Server (/1) and Access Control (/2) objects or their instances, not {path}.", nameof(Reads));
                }
            }

            _reads = [.. value];
        }
    }

    /// <summary>
    /// The content format of the writes; null to use the client's preference (<c>pct</c> in its request) or else TLV,
    /// retried once in SenML CBOR when the client answers 4.15.
    /// </summary>
    public ushort? ContentFormat { get; init; }

    /// <summary>
    /// A configuration that points a client at one LwM2M server without security: Security instance
    /// <paramref name="securityInstance"/> with the URI and short server id, and Server instance
    /// <paramref name="serverInstance"/> with the lifetime and binding.
    /// </summary>
    public static BootstrapConfiguration ForServer(string serverUri, int shortServerId, TimeSpan lifetime, string binding = "U", int securityInstance = 1, int serverInstance = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(serverUri);
        ArgumentOutOfRangeException.ThrowIfLessThan(shortServerId, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shortServerId, 65534);
        var security = new Lwm2mObjectInstance(securityInstance,
        [
            new Lwm2mSingleResource(0, Lwm2mValue.FromString(serverUri)),
            new Lwm2mSingleResource(1, Lwm2mValue.FromBoolean(false)),
            new Lwm2mSingleResource(2, Lwm2mValue.FromInteger(3)), // NoSec
            new Lwm2mSingleResource(3, Lwm2mValue.FromOpaque([])),
            new Lwm2mSingleResource(4, Lwm2mValue.FromOpaque([])),
            new Lwm2mSingleResource(5, Lwm2mValue.FromOpaque([])),
            new Lwm2mSingleResource(10, Lwm2mValue.FromInteger(shortServerId)),
        ]);
        var server = new Lwm2mObjectInstance(serverInstance,
        [
            new Lwm2mSingleResource(0, Lwm2mValue.FromInteger(shortServerId)),
            new Lwm2mSingleResource(1, Lwm2mValue.FromInteger((long)lifetime.TotalSeconds)),
            new Lwm2mSingleResource(6, Lwm2mValue.FromBoolean(false)),
            new Lwm2mSingleResource(7, Lwm2mValue.FromString(binding)),
        ]);
        return new BootstrapConfiguration
        {
            Writes = [new BootstrapWrite(new Lwm2mPath(0, securityInstance), security), new BootstrapWrite(new Lwm2mPath(1, serverInstance), server)],
        };
    }

    /// <summary>
    /// Like <see cref="ForServer"/>, but provisions DTLS with a pre-shared key: Security Mode (/0/x/2) 0, the identity
    /// in /0/x/3 (UTF-8) and the key in /0/x/5. <paramref name="serverUri"/> must be a <c>coaps://</c> URI.
    /// </summary>
    public static BootstrapConfiguration ForPskServer(string serverUri, int shortServerId, TimeSpan lifetime, string pskIdentity, ReadOnlySpan<byte> pskKey,
        string binding = "U", int securityInstance = 1, int serverInstance = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(pskIdentity);
        if (pskKey.IsEmpty)
        {
            throw new ArgumentException("A pre-shared key must not be empty.", nameof(pskKey));
        }

        if (!serverUri.StartsWith("coaps://", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"A PSK account needs a coaps:// server URI, not '{serverUri}'.", nameof(serverUri));
        }

        BootstrapConfiguration plain = ForServer(serverUri, shortServerId, lifetime, binding, securityInstance, serverInstance);
        var nosec = (Lwm2mObjectInstance)plain.Writes[0].Node;
        byte[] key = pskKey.ToArray();
        var security = new Lwm2mObjectInstance(securityInstance, [.. nosec.Resources.Select(r => r.Id switch
        {
            2 => new Lwm2mSingleResource(2, Lwm2mValue.FromInteger(0)), // PSK
            3 => new Lwm2mSingleResource(3, Lwm2mValue.FromOpaque(System.Text.Encoding.UTF8.GetBytes(pskIdentity))),
            5 => new Lwm2mSingleResource(5, Lwm2mValue.FromOpaque(key)),
            _ => r,
        })]);
        return plain with { Writes = [plain.Writes[0] with { Node = security }, .. plain.Writes.Skip(1)] };
    }
    /// <summary>
    /// Like <see cref="ForServer"/>, but provisions DTLS with X.509 certificates: Security Mode (/0/x/2) 2, the client's
    /// certificate in /0/x/3, the server's certificate in /0/x/4 and the client's private key in /0/x/5 (each DER or PEM,
    /// as given), and, when <paramref name="certificateUsage"/> is set, Certificate Usage (/0/x/15).
    /// <paramref name="serverUri"/> must be a <c>coaps://</c> URI.
    /// </summary>
    public static BootstrapConfiguration ForCertificateServer(string serverUri, int shortServerId, TimeSpan lifetime,
        ReadOnlySpan<byte> clientCertificate, ReadOnlySpan<byte> clientPrivateKey, ReadOnlySpan<byte> serverCertificate, int? certificateUsage = null,
        string binding = "U", int securityInstance = 1, int serverInstance = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(serverUri);
        if (clientCertificate.IsEmpty || clientPrivateKey.IsEmpty || serverCertificate.IsEmpty)
        {
            throw new ArgumentException("Certificate mode needs the client certificate (/0/x/3), the server certificate (/0/x/4) and the client private key (/0/x/5).");
        }

        if (certificateUsage is < 0 or > 3)
        {
            throw new ArgumentOutOfRangeException(nameof(certificateUsage), certificateUsage, "Certificate usage (/0/x/15) is 0 to 3.");
        }

        if (!serverUri.StartsWith("coaps://", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"A certificate account needs a coaps:// server URI, not '{serverUri}'.", nameof(serverUri));
        }

        BootstrapConfiguration plain = ForServer(serverUri, shortServerId, lifetime, binding, securityInstance, serverInstance);
        var nosec = (Lwm2mObjectInstance)plain.Writes[0].Node;
        byte[] certificate = clientCertificate.ToArray(), key = clientPrivateKey.ToArray(), server = serverCertificate.ToArray();
        IEnumerable<Lwm2mResource> resources = nosec.Resources.Select(r => r.Id switch
        {
            2 => new Lwm2mSingleResource(2, Lwm2mValue.FromInteger(2)), // Certificate
            3 => new Lwm2mSingleResource(3, Lwm2mValue.FromOpaque(certificate)),
            4 => new Lwm2mSingleResource(4, Lwm2mValue.FromOpaque(server)),
            5 => new Lwm2mSingleResource(5, Lwm2mValue.FromOpaque(key)),
            _ => r,
        });
        if (certificateUsage is { } usage)
        {
            resources = resources.Append(new Lwm2mSingleResource(15, Lwm2mValue.FromUnsignedInteger((ulong)usage)));
        }

        var security = new Lwm2mObjectInstance(securityInstance, [.. resources]);
        return plain with { Writes = [plain.Writes[0] with { Node = security }, .. plain.Writes.Skip(1)] };
    }
}
