using System.CommandLine;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.X509;
using Tern.Coap.Dtls;
using Tern.Lwm2m.Server.Rest;
using Tern.Lwm2m.Server.Security;

namespace Tern.Cli.Commands;

/// <content>
/// Certificates of <c>tern server</c>: <c>--cert</c> and <c>--key</c> (what both DTLS listeners present),
/// <c>--client-ca</c> (the anchors client certificates must chain to) and <c>--cert-endpoint</c> (the endpoints that may
/// register with a certificate; the server reads a client's endpoint name from its certificate's subject CN).
/// </content>
internal static partial class ServerCommand
{
    /// <summary>The server's credentials and the anchors of client certificates, read from the files on the command line.</summary>
    internal sealed record ServerCertificates(DtlsCertificateCredentials Credentials, IReadOnlyList<X509Certificate> ClientCas);

    private static Option<FileInfo?> CertificateOption() => new("--cert")
    {
        Description = "The server's certificate chain file, PEM (leaf first) or DER, presented by both DTLS listeners (with --key and --client-ca)",
    };

    private static Option<FileInfo?> KeyOption() => new("--key")
    {
        Description = "The EC private key of --cert, PEM or DER (PKCS#8 or SEC1); the certificate suites are ECDHE-ECDSA, so RSA keys are refused",
    };

    private static Option<FileInfo[]> ClientCaOption() => new("--client-ca")
    {
        Description = "A CA certificate file, PEM or DER, that client certificates must chain to (repeatable; every certificate in the file counts)",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    private static Option<string[]> CertificateEndpointOption()
    {
        var option = new Option<string[]>("--cert-endpoint")
        {
            Description = "An endpoint allowed to register with a client certificate (repeatable). The server takes the endpoint name from the "
                + "certificate's subject CN: the CN must equal the ep the client registers with. With --cert, only endpoints listed here, "
                + "in --security-file or /api/security, or provisioned by a bootstrap configuration, may register with a certificate",
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        option.Validators.Add(result =>
        {
            foreach (string value in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    result.AddError("--cert-endpoint must name an endpoint");
                }
            }
        });
        return option;
    }

    /// <summary>--cert, --key and --client-ca go together; --cert-endpoint needs them.</summary>
    private static void ValidateCertificateOptions(System.CommandLine.Parsing.CommandResult result, Option<FileInfo?> certificate, Option<FileInfo?> key,
        Option<FileInfo[]> clientCa, Option<string[]> endpoints)
    {
        bool hasCertificate = result.GetValue(certificate) is not null, hasKey = result.GetValue(key) is not null;
        bool hasCa = (result.GetValue(clientCa) ?? []).Length > 0, hasEndpoints = (result.GetValue(endpoints) ?? []).Length > 0;
        if (hasCertificate != hasKey)
        {
            result.AddError(hasCertificate ? "--cert needs --key (the certificate's EC private key)" : "--key needs --cert (the certificate it belongs to)");
        }
        else if (hasCertificate && !hasCa)
        {
            result.AddError("--cert needs at least one --client-ca: the server requires client certificates and validates them against those CAs");
        }
        else if (!hasCertificate && hasCa)
        {
            result.AddError("--client-ca needs --cert and --key: without a server certificate the DTLS listeners offer PSK only");
        }
        else if (!hasCertificate && hasEndpoints)
        {
            result.AddError("--cert-endpoint needs --cert, --key and --client-ca: without a server certificate no client can present one");
        }
    }

    /// <summary>
    /// Reads <paramref name="certificateFile"/>, <paramref name="keyFile"/> and <paramref name="clientCaFiles"/>, and puts a
    /// certificate entry for each of <paramref name="endpoints"/> in <paramref name="server"/>. False, after one line on
    /// <paramref name="error"/>, when a file is missing or unreadable, holds no certificate or key, the key is not EC or
    /// not the certificate's, or an endpoint already has a PSK entry. Null certificates when <paramref name="certificateFile"/> is null.
    /// </summary>
    internal static bool TryLoadCertificates(string? certificateFile, string? keyFile, IReadOnlyList<string> clientCaFiles, IReadOnlyList<string> endpoints,
        ISecurityStore server, TextWriter error, out ServerCertificates? certificates)
    {
        certificates = null;
        if (certificateFile is null || keyFile is null)
        {
            return true;
        }

        AsymmetricKeyParameter? key = null;
        string? problem = ReadCertificates("--cert", certificateFile, out IReadOnlyList<X509Certificate> chain)
            ?? ReadKey(keyFile, out key)
            ?? CheckPair(certificateFile, chain[0], keyFile, key!);
        var anchors = new List<X509Certificate>();
        foreach (string file in problem is null ? clientCaFiles : [])
        {
            problem = ReadCertificates("--client-ca", file, out IReadOnlyList<X509Certificate> read);
            if (problem is not null)
            {
                break;
            }

            anchors.AddRange(read);
        }

        foreach (string endpoint in problem is null ? endpoints : [])
        {
            if (server.GetByEndpoint(endpoint) is { UsesCertificate: false } psk)
            {
                problem = $"--cert-endpoint {endpoint}: the endpoint already has a PSK entry ({psk}); an endpoint authenticates one way";
                break;
            }

            if (!server.TryPut(SecurityInfo.ForCertificate(endpoint), out string? conflict))
            {
                problem = $"--cert-endpoint {endpoint}: {conflict}";
                break;
            }
        }

        if (problem is not null)
        {
            error.WriteLine($"tern server: {problem}");
            return false;
        }

        certificates = new ServerCertificates(DtlsCertificateCredentials.Create(chain, key!), anchors);
        return true;
    }

    private static void AnnounceCertificates(TernServerHost host, TernServerHostOptions options, Action<string> line)
    {
        if (options.Certificate is { } certificate && host.CoapsEndPoint is not null)
        {
            int listed = host.Security.GetAll().Count(s => s.UsesCertificate);
            line($"certificate   CN '{DtlsCertificates.GetCommonName(certificate.Chain[0])}' on both DTLS listeners; client certificates must chain to "
                + $"{options.TrustedClientCertificates.Count} CA certificate(s) and name their endpoint in the CN; {listed} endpoint(s) may register with one");
        }
    }

    /// <summary>Prints what the provisioning link does to the LwM2M server's entries when bootstrap configurations change.</summary>
    private static void WatchProvisioning(TernServerHost host, Action<string> line)
    {
        if (host.Provisioning is { } link)
        {
            link.Changed += (_, e) => line(e.Result.Conflict is { } conflict
                ? $"provisioning  {e.Result.Endpoint} refused: {conflict}"
                : $"provisioning  {e.Result.Endpoint} {e.Result.Action.ToString().ToLowerInvariant()} {e.Result.Entry} for the LwM2M server");
        }
    }

    private static string? ReadCertificates(string option, string file, out IReadOnlyList<X509Certificate> certificates)
    {
        certificates = [];
        if (ReadFile(option, file, out byte[] bytes) is { } unreadable)
        {
            return unreadable;
        }

        try
        {
            certificates = DtlsCertificates.ReadCertificates(bytes);
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"{option} {file}: no X.509 certificate in it (expected PEM CERTIFICATE blocks or DER)";
        }
    }

    private static string? ReadKey(string file, out AsymmetricKeyParameter? key)
    {
        key = null;
        if (ReadFile("--key", file, out byte[] bytes) is { } unreadable)
        {
            return unreadable;
        }

        try
        {
            key = DtlsCertificates.ReadPrivateKey(bytes);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"--key {file}: no private key in it (expected PEM EC PRIVATE KEY or PRIVATE KEY, or DER PKCS#8 or SEC1)";
        }

        return key switch
        {
            ECPrivateKeyParameters => null,
            RsaKeyParameters => $"--key {file}: an RSA key; the DTLS certificate suites are ECDHE-ECDSA, so give an EC key (e.g. P-256)",
            _ => $"--key {file}: a {key.GetType().Name.Replace("Parameters", "", StringComparison.Ordinal)}, not an EC private key",
        };
    }

    /// <summary>Null when <paramref name="key"/> is the private half of <paramref name="leaf"/>'s public key.</summary>
    private static string? CheckPair(string certificateFile, X509Certificate leaf, string keyFile, AsymmetricKeyParameter key)
    {
        if (leaf.GetPublicKey() is not ECPublicKeyParameters publicKey)
        {
            return $"--cert {certificateFile}: the certificate's key is not EC; the DTLS certificate suites are ECDHE-ECDSA";
        }

        var privateKey = (ECPrivateKeyParameters)key;
        bool matches = privateKey.Parameters.Curve.Equals(publicKey.Parameters.Curve)
            && privateKey.Parameters.G.Multiply(privateKey.D).Normalize().Equals(publicKey.Q.Normalize());
        return matches ? null : $"--key {keyFile} does not belong to the certificate in --cert {certificateFile}";
    }

    private static string? ReadFile(string option, string file, out byte[] bytes)
    {
        bytes = [];
        try
        {
            bytes = File.ReadAllBytes(file);
            return bytes.Length == 0 ? $"{option} {file}: the file is empty" : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{option} {file}: cannot read it: {e.Message}";
        }
    }
}
