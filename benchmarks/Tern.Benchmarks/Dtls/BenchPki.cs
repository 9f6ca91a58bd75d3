using Org.BouncyCastle.X509;
using Tern.Coap.Dtls;

namespace Tern.Benchmarks.Dtls;

/// <summary>
/// The certificates of the certificate-mode figures: one self-signed P-256 CA issuing a server leaf ("localhost")
/// and a client leaf ("bench-client"), as Tern options (mutual authentication) and as PEM files for libcoap's
/// <c>-c/-j/-R</c> in a temporary folder that <see cref="Dispose"/> removes.
/// </summary>
internal sealed class BenchPki : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tern-dtls-bench-" + Guid.NewGuid().ToString("N"));

    public BenchPki()
    {
        var ca = DtlsBenchSetup.Issue("Bench CA", null);
        var server = DtlsBenchSetup.Issue("localhost", ca);
        var client = DtlsBenchSetup.Issue("bench-client", ca);
        Ca = ca.Certificate;
        ServerCredentials = DtlsCertificateCredentials.Create([server.Certificate], server.Keys.Private);
        ClientCredentials = DtlsCertificateCredentials.Create([client.Certificate], client.Keys.Private);

        Directory.CreateDirectory(_directory);
        string caFile = Write("ca.pem", ca.Certificate);
        LibcoapServerArguments = ["-c", Write("server.pem", server.Certificate), "-j", Write("server.key", server.Keys.Private), "-R", caFile];
        LibcoapClientArguments = ["-c", Write("client.pem", client.Certificate), "-j", Write("client.key", client.Keys.Private), "-R", caFile];
    }

    /// <summary>The CA both sides trust.</summary>
    public X509Certificate Ca { get; }

    /// <summary>The server's leaf and key.</summary>
    public DtlsCertificateCredentials ServerCredentials { get; }

    /// <summary>The client's leaf and key.</summary>
    public DtlsCertificateCredentials ClientCredentials { get; }

    /// <summary>coap-server-openssl's certificate, key and trusted CA (it then requests and checks a client certificate).</summary>
    public string[] LibcoapServerArguments { get; }

    /// <summary>coap-client-openssl's certificate, key and trusted CA.</summary>
    public string[] LibcoapClientArguments { get; }

    /// <summary>A Tern server with the server leaf that requires a client certificate issued by the CA.</summary>
    public DtlsServerOptions ServerOptions() => new() { Certificate = ServerCredentials, TrustedClientCertificates = [Ca] };

    /// <summary>A Tern client with the client leaf, trusting the CA for the server, offering only <paramref name="suite"/>.</summary>
    public DtlsClientOptions ClientOptions(DtlsCipherSuite suite) => new()
    {
        Certificate = ClientCredentials,
        ServerCertificate = Ca,
        CertificateUsage = DtlsCertificateUsage.TrustAnchorAssertion,
        CipherSuites = [suite],
        HandshakeTimeout = TimeSpan.FromSeconds(15),
    };

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, object value)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, DtlsBenchSetup.Pem(value));
        return path;
    }
}
