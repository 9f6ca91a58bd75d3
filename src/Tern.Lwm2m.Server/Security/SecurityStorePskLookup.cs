using Tern.Coap.Dtls;

namespace Tern.Lwm2m.Server.Security;

/// <summary>Lets the DTLS listener find a PSK by identity in the server's security store.</summary>
internal sealed class SecurityStorePskLookup(ISecurityStore store) : IDtlsPskStore
{
    public byte[]? GetKey(string identity) =>
        store.GetByPskIdentity(identity) is { PskKey.IsEmpty: false } info ? info.PskKey.ToArray() : null;
}
