namespace Tern.Lwm2m.Client.Configuration;

/// <summary>
/// The client's own configuration objects: Security (0) and Server (1) instances, as a factory bootstrap
/// provides them (from code or from <see cref="Lwm2mConfigurationJson"/>) or a bootstrap server writes them.
/// </summary>
public sealed class Lwm2mClientConfiguration
{
    /// <summary>Creates a configuration from the given instances.</summary>
    /// <param name="securities">Security (0) instances.</param>
    /// <param name="servers">Server (1) instances.</param>
    public Lwm2mClientConfiguration(IEnumerable<Lwm2mSecurityInstance> securities, IEnumerable<Lwm2mServerInstance> servers)
    {
        ArgumentNullException.ThrowIfNull(securities);
        ArgumentNullException.ThrowIfNull(servers);
        Securities = [.. securities];
        Servers = [.. servers];
    }

    /// <summary>Creates a configuration that also carries Access Control (2) instances.</summary>
    /// <param name="securities">Security (0) instances.</param>
    /// <param name="servers">Server (1) instances.</param>
    /// <param name="accessControls">Access Control (2) instances.</param>
    public Lwm2mClientConfiguration(IEnumerable<Lwm2mSecurityInstance> securities, IEnumerable<Lwm2mServerInstance> servers, IEnumerable<Lwm2mAccessControlInstance> accessControls)
        : this(securities, servers)
    {
        ArgumentNullException.ThrowIfNull(accessControls);
        AccessControls = [.. accessControls];
    }

    /// <summary>The Security (0) instances.</summary>
    public IReadOnlyList<Lwm2mSecurityInstance> Securities { get; }

    /// <summary>The Server (1) instances.</summary>
    public IReadOnlyList<Lwm2mServerInstance> Servers { get; }

    /// <summary>The Access Control (2) instances; empty when the client does not use access control.</summary>
    public IReadOnlyList<Lwm2mAccessControlInstance> AccessControls { get; } = [];

    /// <summary>The bootstrap-server account, if there is one.</summary>
    public Lwm2mSecurityInstance? BootstrapAccount => Securities.FirstOrDefault(s => s.IsBootstrapServer);

    /// <summary>
    /// The LwM2M server accounts: each non-bootstrap Security instance paired with the Server instance that
    /// has the same short server id. Unpaired instances are left out (<see cref="Validate"/> reports them).
    /// </summary>
    public IReadOnlyList<Lwm2mServerAccount> ServerAccounts =>
        [.. Securities.Where(s => !s.IsBootstrapServer && s.ShortServerId is not null)
            .Select(s => (Security: s, Server: Servers.FirstOrDefault(v => v.ShortServerId == s.ShortServerId)))
            .Where(p => p.Server is not null)
            .Select(p => new Lwm2mServerAccount(p.Security, p.Server!))];

    /// <summary>
    /// Checks the instances for the problems that stop the client from starting; an empty list means valid.
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Securities.Count == 0)
        {
            errors.Add("There is no Security (0) instance: add a bootstrap-server or an LwM2M server account.");
        }

        foreach (var group in Securities.GroupBy(s => s.InstanceId).Where(g => g.Count() > 1))
        {
            errors.Add($"Security instance /0/{group.Key} is defined {group.Count()} times.");
        }

        foreach (var group in Servers.GroupBy(s => s.InstanceId).Where(g => g.Count() > 1))
        {
            errors.Add($"Server instance /1/{group.Key} is defined {group.Count()} times.");
        }

        if (Securities.Count(s => s.IsBootstrapServer) > 1)
        {
            errors.Add("More than one Security instance has /0/x/1 (Bootstrap-Server) set; only one bootstrap server is allowed.");
        }

        foreach (var security in Securities)
        {
            ValidateSecurity(security, errors);
        }

        foreach (var server in Servers)
        {
            ValidateServer(server, errors);
        }

        foreach (var group in AccessControls.GroupBy(a => a.InstanceId).Where(g => g.Count() > 1))
        {
            errors.Add($"Access Control instance /2/{group.Key} is defined {group.Count()} times.");
        }

        foreach (var control in AccessControls.Where(a => a.Acl.Any(e => (e.Rights & ~(Lwm2mAccessRights)31) != 0)))
        {
            errors.Add($"/2/{control.InstanceId}/2: access rights must be made of the bits 1, 2, 4, 8 and 16.");
        }

        return errors;
    }

    private void ValidateSecurity(Lwm2mSecurityInstance security, List<string> errors)
    {
        var where = $"/0/{security.InstanceId}";
        if (!Uri.TryCreate(security.ServerUri, UriKind.Absolute, out var uri) || uri.Scheme is not ("coap" or "coaps"))
        {
            errors.Add($"{where}/0: server URI '{security.ServerUri}' is not an absolute coap:// or coaps:// URI.");
        }
        else if (uri.Scheme == "coap" != (security.SecurityMode == Lwm2mSecurityMode.NoSec))
        {
            errors.Add($"{where}/2: security mode {security.SecurityMode} does not match the URI scheme '{uri.Scheme}' (NoSec needs coap://, the others coaps://).");
        }

        if (security.SecurityMode == Lwm2mSecurityMode.PreSharedKey && (security.PublicKeyOrIdentity.IsEmpty || security.SecretKey.IsEmpty))
        {
            errors.Add($"{where}: PSK mode needs both an identity (/0/x/3) and a key (/0/x/5).");
        }

        if (security.SecurityMode == Lwm2mSecurityMode.Certificate && (security.PublicKeyOrIdentity.IsEmpty || security.SecretKey.IsEmpty || security.ServerPublicKey.IsEmpty))
        {
            errors.Add($"{where}: certificate mode needs the client certificate (/0/x/3), the server certificate (/0/x/4) and the private key (/0/x/5).");
        }

        if (security.SecurityMode is Lwm2mSecurityMode.RawPublicKey or Lwm2mSecurityMode.CertificateWithEst)
        {
            errors.Add($"{where}/2: security mode {security.SecurityMode} is not supported; use PreSharedKey, Certificate or NoSec.");
        }

        if (security.IsBootstrapServer)
        {
            return;
        }

        if (security.ShortServerId is not { } ssid || ssid is 0 or 65535)
        {
            errors.Add($"{where}/10: an LwM2M server account needs a short server id between 1 and 65534.");
        }
        else if (!Servers.Any(s => s.ShortServerId == ssid))
        {
            errors.Add($"{where}/10: no Server (1) instance has short server id {ssid}.");
        }
    }

    private void ValidateServer(Lwm2mServerInstance server, List<string> errors)
    {
        var where = $"/1/{server.InstanceId}";
        if (server.ShortServerId is 0 or 65535)
        {
            errors.Add($"{where}/0: short server id {server.ShortServerId} is reserved; use 1..65534.");
        }
        else if (!Securities.Any(s => !s.IsBootstrapServer && s.ShortServerId == server.ShortServerId))
        {
            errors.Add($"{where}/0: no Security (0) instance has short server id {server.ShortServerId}.");
        }

        if (server.Lifetime < TimeSpan.Zero)
        {
            errors.Add($"{where}/1: lifetime must not be negative.");
        }

        if (server.Binding.Length == 0 || server.Binding.Any(c => c is not ('U' or 'T' or 'S' or 'N' or 'Q')))
        {
            errors.Add($"{where}/7: binding '{server.Binding}' must be made of the letters U, T, S, N and Q.");
        }

        if (server.CommunicationRetryCount == 0 || server.SequenceRetryCount == 0)
        {
            errors.Add($"{where}/17,20: retry counts must be at least 1.");
        }

        if (server.CommunicationRetryTimer < TimeSpan.Zero || server.SequenceDelayTimer < TimeSpan.Zero || server.DisableTimeout < TimeSpan.Zero)
        {
            errors.Add($"{where}: timers (/1/x/5, /1/x/18, /1/x/19) must not be negative.");
        }
    }
}

/// <summary>An LwM2M server account: a Security instance and the Server instance sharing its short server id.</summary>
/// <param name="Security">The Security (0) instance.</param>
/// <param name="Server">The Server (1) instance.</param>
public sealed record Lwm2mServerAccount(Lwm2mSecurityInstance Security, Lwm2mServerInstance Server);
