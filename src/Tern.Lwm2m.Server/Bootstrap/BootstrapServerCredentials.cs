using System.Text;
using Tern.Coap.Dtls;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Security;

namespace Tern.Lwm2m.Server.Bootstrap;

/// <summary>
/// Reads which credentials a bootstrap configuration gives an endpoint for its LwM2M-server account, as the entry the
/// LwM2M server's <see cref="ISecurityStore"/> needs to let that endpoint in: Security Mode (/0/x/2) 0 (PSK) gives
/// <see cref="SecurityInfo.ForPsk"/> with the identity of /0/x/3 (UTF-8) and the key of /0/x/5; mode 2 (certificate)
/// gives <see cref="SecurityInfo.ForCertificate"/>, after checking that the certificate in /0/x/3 is issued for the
/// endpoint (the server maps a client certificate to its endpoint by CN). Bootstrap-server accounts (/0/x/1 true),
/// NoSec accounts and the modes Tern's DTLS does not speak (raw public key, EST) give nothing.
/// </summary>
public static class BootstrapServerCredentials
{
    private const int SecurityObject = 0;

    /// <summary>
    /// The entry <paramref name="configuration"/> provisions for <paramref name="endpoint"/>, or null when it provisions
    /// none. <paramref name="servesUri"/> (null: every account) picks the accounts of the LwM2M server in question by
    /// their Server URI (/0/x/0). False, with <paramref name="problem"/> saying why, when the accounts it picks cannot
    /// be turned into one entry: two of them with different credentials, a PSK identity that is not UTF-8, a missing
    /// key, or a certificate that is unreadable or issued for another name.
    /// </summary>
    public static bool TryFind(string endpoint, BootstrapConfiguration configuration, Func<string, bool>? servesUri, out SecurityInfo? credentials, out string? problem)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        ArgumentNullException.ThrowIfNull(configuration);
        credentials = null;
        problem = null;
        foreach ((int instance, Dictionary<int, Lwm2mValue> resources) in SecurityInstances(configuration))
        {
            if (Flag(resources, 1) || Text(resources, 0) is not { } uri || (servesUri is not null && !servesUri(uri)))
            {
                continue;
            }

            SecurityInfo? found;
            switch (Number(resources, 2))
            {
                case 0:
                    found = Psk(endpoint, instance, resources, out problem);
                    break;
                case 2:
                    found = Certificate(endpoint, instance, resources, out problem);
                    break;
                default:
                    continue;
            }

            if (problem is not null)
            {
                return false;
            }

            if (credentials is not null && !credentials.Equals(found))
            {
                problem = $"The configuration of '{endpoint}' gives two accounts of this LwM2M server different credentials ({credentials}; {found}); the server keeps one entry per endpoint.";
                credentials = null;
                return false;
            }

            credentials = found;
        }

        return true;
    }

    /// <summary>
    /// Picks the accounts whose Server URI is <c>coaps://</c> with port <paramref name="coapsPort"/> (5684 when the URI
    /// names none), for <see cref="TryFind"/>'s <c>servesUri</c>. The host name is not compared: a server is reached
    /// under many names.
    /// </summary>
    public static Func<string, bool> CoapsPort(int coapsPort) => uri =>
        Uri.TryCreate(uri, UriKind.Absolute, out Uri? parsed)
        && string.Equals(parsed.Scheme, "coaps", StringComparison.OrdinalIgnoreCase)
        && (parsed.Port < 0 ? 5684 : parsed.Port) == coapsPort;

    /// <summary>The Security instances the configuration writes, resources merged in write order (later writes win).</summary>
    private static SortedDictionary<int, Dictionary<int, Lwm2mValue>> SecurityInstances(BootstrapConfiguration configuration)
    {
        var instances = new SortedDictionary<int, Dictionary<int, Lwm2mValue>>();
        Dictionary<int, Lwm2mValue> Instance(int id)
        {
            if (!instances.TryGetValue(id, out Dictionary<int, Lwm2mValue>? resources))
            {
                instances[id] = resources = [];
            }

            return resources;
        }

        void Add(int instance, IEnumerable<Lwm2mResource> resources)
        {
            Dictionary<int, Lwm2mValue> target = Instance(instance);
            foreach (Lwm2mSingleResource resource in resources.OfType<Lwm2mSingleResource>())
            {
                target[resource.Id] = resource.Value;
            }
        }

        foreach (BootstrapWrite write in configuration.Writes)
        {
            if (write.Path.ObjectId != SecurityObject)
            {
                continue;
            }

            switch (write.Node)
            {
                case Lwm2mObject whole:
                    foreach (Lwm2mObjectInstance instance in whole.Instances)
                    {
                        Add(instance.Id, instance.Resources);
                    }

                    break;
                case Lwm2mObjectInstance instance:
                    Add(write.Path.InstanceId ?? instance.Id, instance.Resources);
                    break;
                case Lwm2mSingleResource resource when write.Path.InstanceId is { } id:
                    Add(id, [resource]);
                    break;
            }
        }

        return instances;
    }

    private static SecurityInfo? Psk(string endpoint, int instance, Dictionary<int, Lwm2mValue> resources, out string? problem)
    {
        byte[] identity = Bytes(resources, 3);
        byte[] key = Bytes(resources, 5);
        if (identity.Length == 0 || key.Length == 0)
        {
            problem = $"/0/{instance} of '{endpoint}' is a PSK account without {(identity.Length == 0 ? "an identity (/0/x/3)" : "a key (/0/x/5)")}.";
            return null;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(identity);
        }
        catch (DecoderFallbackException)
        {
            problem = $"/0/{instance}/3 of '{endpoint}' is a PSK identity that is not UTF-8 text; the LwM2M server looks identities up as text.";
            return null;
        }

        problem = null;
        return SecurityInfo.ForPsk(endpoint, text, key);
    }

    private static SecurityInfo? Certificate(string endpoint, int instance, Dictionary<int, Lwm2mValue> resources, out string? problem)
    {
        byte[] certificate = Bytes(resources, 3);
        string? name;
        try
        {
            name = DtlsCertificates.GetCommonName(DtlsCertificates.ReadCertificates(certificate)[0]);
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidCastException or InvalidOperationException
            or Org.BouncyCastle.Security.Certificates.CertificateException)
        {
            problem = $"/0/{instance}/3 of '{endpoint}' does not hold a readable X.509 certificate (DER or PEM): {e.Message}";
            return null;
        }

        if (name != endpoint)
        {
            problem = $"/0/{instance}/3 of '{endpoint}' is a certificate for CN '{name}'; the LwM2M server admits a certificate only under the endpoint name in its CN.";
            return null;
        }

        problem = null;
        return SecurityInfo.ForCertificate(endpoint);
    }

    private static bool Flag(Dictionary<int, Lwm2mValue> resources, int id) =>
        resources.TryGetValue(id, out Lwm2mValue value) && value.Type == Lwm2mResourceType.Boolean && value.AsBoolean();

    private static string? Text(Dictionary<int, Lwm2mValue> resources, int id) =>
        resources.TryGetValue(id, out Lwm2mValue value) && value.Type == Lwm2mResourceType.String ? value.AsString() : null;

    private static long? Number(Dictionary<int, Lwm2mValue> resources, int id) =>
        !resources.TryGetValue(id, out Lwm2mValue value) ? null
        : value.Type == Lwm2mResourceType.Integer ? value.AsInteger()
        : value.Type == Lwm2mResourceType.UnsignedInteger && value.AsUnsignedInteger() <= long.MaxValue ? (long)value.AsUnsignedInteger()
        : null;

    private static byte[] Bytes(Dictionary<int, Lwm2mValue> resources, int id) =>
        !resources.TryGetValue(id, out Lwm2mValue value) ? []
        : value.Type == Lwm2mResourceType.Opaque ? value.AsOpaque()
        : value.Type == Lwm2mResourceType.String ? Encoding.UTF8.GetBytes(value.AsString())
        : [];
}
