using Tern.Lwm2m.Server.Security;

namespace Tern.Lwm2m.Server.Bootstrap;

/// <summary>What the provisioning link did to the LwM2M server's entry of an endpoint.</summary>
public enum BootstrapProvisioningAction
{
    /// <summary>Nothing changed: the entry was already as provisioned, or there was nothing to provision or remove.</summary>
    Unchanged,

    /// <summary>The link added the entry.</summary>
    Added,

    /// <summary>The link replaced an entry it had added for an earlier configuration.</summary>
    Replaced,

    /// <summary>The link removed an entry it had added (the configuration went, or no longer provisions this server).</summary>
    Removed,

    /// <summary>The configuration was refused (see <see cref="BootstrapProvisioningResult.Conflict"/>); nothing changed.</summary>
    Refused,
}

/// <summary>The outcome of setting, removing or syncing one configuration through a <see cref="ProvisioningBootstrapStore"/>.</summary>
/// <param name="Endpoint">The endpoint of the configuration.</param>
/// <param name="Action">What happened to the LwM2M server's entry.</param>
/// <param name="Entry">The entry added, replaced, kept or removed; null when there is none.</param>
/// <param name="Conflict">Why the configuration was refused; null on success.</param>
public sealed record BootstrapProvisioningResult(string Endpoint, BootstrapProvisioningAction Action, SecurityInfo? Entry, string? Conflict)
{
    /// <summary>True unless the configuration was refused.</summary>
    public bool IsSuccess => Conflict is null;

    internal static BootstrapProvisioningResult Refused(string endpoint, string conflict) => new(endpoint, BootstrapProvisioningAction.Refused, null, conflict);
}

/// <summary>The link added, replaced or removed an entry, or refused a configuration.</summary>
public sealed class BootstrapProvisioningEventArgs : EventArgs
{
    /// <summary>Creates the event arguments.</summary>
    public BootstrapProvisioningEventArgs(BootstrapProvisioningResult result) => Result = result ?? throw new ArgumentNullException(nameof(result));

    /// <summary>What happened.</summary>
    public BootstrapProvisioningResult Result { get; }
}
