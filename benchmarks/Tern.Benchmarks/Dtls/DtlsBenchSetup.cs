using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Tern.Coap.Dtls;

namespace Tern.Benchmarks.Dtls;

/// <summary>Keys, certificates and libcoap processes shared by the DTLS benchmarks.</summary>
public static class DtlsBenchSetup
{
    public const string PskKeyText = "tern-bench-psk-key";
    public static readonly byte[] PskKey = Encoding.ASCII.GetBytes(PskKeyText);
    private static readonly SecureRandom Random = new();

    public static (X509Certificate Certificate, AsymmetricCipherKeyPair Keys) Issue(string commonName, (X509Certificate Certificate, AsymmetricCipherKeyPair Keys)? issuer)
    {
        var generator = new ECKeyPairGenerator("EC");
        generator.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, Random));
        AsymmetricCipherKeyPair keys = generator.GenerateKeyPair();
        var name = new X509Name("CN=" + commonName);
        var builder = new X509V3CertificateGenerator();
        builder.SetSerialNumber(BigInteger.ValueOf(DateTime.UtcNow.Ticks));
        builder.SetSubjectDN(name);
        builder.SetIssuerDN(issuer?.Certificate.SubjectDN ?? name);
        builder.SetNotBefore(DateTime.UtcNow.AddDays(-1));
        builder.SetNotAfter(DateTime.UtcNow.AddYears(1));
        builder.SetPublicKey(keys.Public);
        builder.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(issuer is null));
        if (issuer is not null)
        {
            builder.AddExtension(X509Extensions.SubjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.DnsName, commonName)));
        }

        X509Certificate certificate = builder.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", (issuer?.Keys ?? keys).Private, Random));
        return (certificate, keys);
    }

    public static string Pem(object value)
    {
        using var writer = new StringWriter();
        var pem = new PemWriter(writer);
        pem.WriteObject(value);
        pem.Writer.Flush();
        return writer.ToString();
    }

    public static int FreePortPair()
    {
        while (true)
        {
            using var first = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            first.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            int port = ((IPEndPoint)first.LocalEndPoint!).Port;
            try
            {
                using var second = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                second.Bind(new IPEndPoint(IPAddress.Loopback, port + 1));
                return port;
            }
            catch (SocketException)
            {
            }
        }
    }

    public static Process StartTool(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process = Process.Start(info) ?? throw new InvalidOperationException($"{tool} did not start: apt-get install -y libcoap3-bin");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static void Stop(Process? process)
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process?.Dispose();
    }

    public static DtlsClientOptions PskClient(DtlsCipherSuite suite = DtlsCipherSuite.PskWithAes128Ccm8) => new()
    {
        PskIdentity = "bench-device",
        PskKey = PskKey,
        CipherSuites = [suite],
        HandshakeTimeout = TimeSpan.FromSeconds(15),
    };

    public static DtlsServerOptions PskServer() => new() { PskStore = new DtlsPskStore().Set("bench-device", PskKey) };
}
