using System.Diagnostics.CodeAnalysis;

namespace Tern.Lwm2m.Server.Security;

/// <summary>
/// The server's security entries, one per endpoint name. Lookups are synchronous because the DTLS handshake asks
/// for a PSK on its own thread; implementations must be thread-safe and quick.
/// </summary>
public interface ISecurityStore
{
    /// <summary>The entry of <paramref name="endpoint"/>, or null.</summary>
    SecurityInfo? GetByEndpoint(string endpoint);

    /// <summary>The entry whose PSK identity is <paramref name="identity"/>, or null.</summary>
    SecurityInfo? GetByPskIdentity(string identity);

    /// <summary>A snapshot of every entry.</summary>
    IReadOnlyList<SecurityInfo> GetAll();

    /// <summary>
    /// Adds or replaces the entry of <paramref name="info"/>'s endpoint. Fails (returns false with a reason) when its
    /// PSK identity already belongs to another endpoint: an identity must name exactly one endpoint.
    /// </summary>
    bool TryPut(SecurityInfo info, [NotNullWhen(false)] out string? conflict);

    /// <summary>Removes the entry of <paramref name="endpoint"/>; false when there was none.</summary>
    bool Remove(string endpoint);
}
