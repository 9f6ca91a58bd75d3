using System.Collections;
using System.Net;
using Org.BouncyCastle.X509;
using TlsCertificate = Org.BouncyCastle.Crypto.Tls.Certificate;

namespace Tern.Coap.Dtls.Internal;

/// <summary>
/// Path and pin checks for the certificate modes: a small, explicit subset of PKIX (signatures along the chain,
/// validity dates, an anchor at the end), the LwM2M 1.1 certificate usages, and a host-name check.
/// Not done: revocation (CRL/OCSP), name and policy constraints, key-usage and basic-constraints enforcement.
/// </summary>
internal static class CertificateValidator
{
    public static X509Certificate[] ToChain(TlsCertificate certificate) =>
        [.. certificate.GetCertificateList().Select(s => new X509Certificate(s))];

    /// <summary>Checks the server chain per the client's options; returns null when it is accepted.</summary>
    public static (DtlsErrorKind Kind, string Message)? ValidateServer(X509Certificate[] chain, DtlsClientOptions options, DateTime now)
    {
        if (chain.Length == 0)
        {
            return (DtlsErrorKind.CertificateRequired, "The server presented no certificate.");
        }

        X509Certificate leaf = chain[0];
        X509Certificate? given = options.ServerCertificate;
        List<X509Certificate> anchors = [.. options.TrustedCertificates];
        string? failure;
        switch (options.CertificateUsage)
        {
            case DtlsCertificateUsage.DomainIssuedCertificate:
                if (!leaf.Equals(given))
                {
                    return (DtlsErrorKind.UntrustedCertificate, "The server certificate is not the pinned one (certificate usage 3).");
                }

                return leaf.IsValid(now) ? null : (DtlsErrorKind.UntrustedCertificate, "The pinned server certificate is outside its validity period.");

            case DtlsCertificateUsage.ServiceCertificateConstraint:
                if (!leaf.Equals(given))
                {
                    return (DtlsErrorKind.UntrustedCertificate, "The server certificate is not the configured one (certificate usage 1).");
                }

                failure = ValidatePath(chain, anchors, now);
                break;

            case DtlsCertificateUsage.TrustAnchorAssertion:
                failure = ValidatePath(chain, given is null ? anchors : [given, .. anchors], now);
                break;

            case DtlsCertificateUsage.CaConstraint:
                if (given is not null)
                {
                    anchors.Add(given);
                }

                failure = ValidatePath(chain, anchors, now);
                if (failure is null && given is not null && !chain.Skip(1).Contains(given) && !IssuedBy(chain[^1], given))
                {
                    failure = "The configured CA certificate is not on the server's path (certificate usage 0).";
                }

                break;

            default:
                return (DtlsErrorKind.UnsupportedMode, $"Certificate usage {(int)options.CertificateUsage} is not supported.");
        }

        if (failure is not null)
        {
            return (DtlsErrorKind.UntrustedCertificate, failure);
        }

        if (options.ServerName is { } host && !MatchesHost(leaf, host))
        {
            return (DtlsErrorKind.HostNameMismatch, $"The server certificate is not issued for '{host}'.");
        }

        return null;
    }

    /// <summary>Checks a client chain against the server's trusted client anchors; returns null when accepted.</summary>
    public static string? ValidateClient(X509Certificate[] chain, DtlsServerOptions options, DateTime now) =>
        chain.Length == 0 ? "The client presented no certificate." : ValidatePath(chain, options.TrustedClientCertificates, now);

    /// <summary>
    /// Every certificate within its dates, each signed by the next, and the chain ending at (or issued by) an anchor.
    /// An anchor may also be the leaf itself (a pinned self-signed certificate).
    /// </summary>
    private static string? ValidatePath(X509Certificate[] chain, IReadOnlyList<X509Certificate> anchors, DateTime now)
    {
        if (anchors.Count == 0)
        {
            return "No trust anchor is configured.";
        }

        for (int i = 0; i < chain.Length; i++)
        {
            if (!chain[i].IsValid(now))
            {
                return $"Certificate '{chain[i].SubjectDN}' is outside its validity period.";
            }

            if (anchors.Contains(chain[i]))
            {
                return null;
            }

            if (i + 1 < chain.Length && !IssuedBy(chain[i], chain[i + 1]))
            {
                return $"Certificate '{chain[i].SubjectDN}' is not signed by the next certificate in the chain.";
            }
        }

        X509Certificate last = chain[^1];
        foreach (X509Certificate anchor in anchors)
        {
            if (anchor.IsValid(now) && IssuedBy(last, anchor))
            {
                return null;
            }
        }

        return $"The chain of '{chain[0].SubjectDN}' does not lead to a trusted certificate.";
    }

    private static bool IssuedBy(X509Certificate certificate, X509Certificate issuer)
    {
        if (!certificate.IssuerDN.Equivalent(issuer.SubjectDN))
        {
            return false;
        }

        try
        {
            certificate.Verify(issuer.GetPublicKey());
            return true;
        }
#pragma warning disable CA1031 // A certificate that does not verify is simply not issued by this one.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    private static bool MatchesHost(X509Certificate certificate, string host)
    {
        var names = new List<string>();
        bool isIp = IPAddress.TryParse(host, out IPAddress? ip);
        ICollection? alternatives = certificate.GetSubjectAlternativeNames();
        if (alternatives is not null)
        {
            foreach (IList entry in alternatives)
            {
                int type = Convert.ToInt32(entry[0], System.Globalization.CultureInfo.InvariantCulture);
                string? value = entry[1]?.ToString();
                if (value is null)
                {
                    continue;
                }

                if (isIp && type == 7 && IPAddress.TryParse(value, out IPAddress? named) && named.Equals(ip))
                {
                    return true;
                }

                if (type == 2)
                {
                    names.Add(value);
                }
            }
        }

        if (names.Count == 0 && !isIp && DtlsCertificates.GetCommonName(certificate) is { } cn)
        {
            names.Add(cn);
        }

        return !isIp && names.Any(n => HostMatches(n, host));
    }

    private static bool HostMatches(string pattern, string host)
    {
        if (pattern.StartsWith("*.", StringComparison.Ordinal))
        {
            int dot = host.IndexOf('.', StringComparison.Ordinal);
            return dot > 0 && string.Equals(pattern[1..], host[dot..], StringComparison.OrdinalIgnoreCase);
        }

        return string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);
    }
}
