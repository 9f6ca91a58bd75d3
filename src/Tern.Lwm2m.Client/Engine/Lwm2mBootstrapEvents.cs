using Tern.Coap.Messages;

namespace Tern.Lwm2m.Client.Engine;

/// <summary>The bootstrap server accepted Bootstrap-Request (2.04); its writes follow (Zephyr BOOTSTRAP_REG_COMPLETE).</summary>
/// <param name="Time">When.</param>
/// <param name="ServerUri">The bootstrap server.</param>
public sealed record Lwm2mBootstrapRequestCompleted(DateTimeOffset Time, string ServerUri) : Lwm2mClientEvent(Time);

/// <summary>A bootstrap attempt failed and another is scheduled (carrier DEFERRED with a bootstrap reason).</summary>
/// <param name="Time">When.</param>
/// <param name="Reason"><see cref="Lwm2mDeferredReason.BootstrapConnect"/> or <see cref="Lwm2mDeferredReason.BootstrapSequence"/>.</param>
/// <param name="RetryAt">When the next Bootstrap-Request is sent.</param>
public sealed record Lwm2mBootstrapDeferred(DateTimeOffset Time, Lwm2mDeferredReason Reason, DateTimeOffset RetryAt) : Lwm2mClientEvent(Time);

/// <summary>All bootstrap retries are used up; the client enters Failure next (Zephyr BOOTSTRAP_REG_FAILURE).</summary>
/// <param name="Time">When.</param>
/// <param name="Attempts">How many Bootstrap-Requests were sent in this bootstrap.</param>
/// <param name="LastCode">The last error code the bootstrap server sent, if it answered at all.</param>
/// <param name="Reason">Why the last attempt failed.</param>
public sealed record Lwm2mBootstrapFailed(DateTimeOffset Time, int Attempts, CoapCode? LastCode, Lwm2mDeferredReason Reason) : Lwm2mClientEvent(Time);

/// <summary>
/// Bootstrap-Finish arrived but the configuration in place is not usable; the client answered 4.06 with
/// <paramref name="Reason"/> and keeps waiting for the bootstrap server to fix it.
/// </summary>
/// <param name="Time">When.</param>
/// <param name="Reason">The diagnostic sent back.</param>
public sealed record Lwm2mBootstrapFinishRefused(DateTimeOffset Time, string Reason) : Lwm2mClientEvent(Time);

/// <summary>Bootstrap-Finish arrived and the configuration was accepted (Zephyr BOOTSTRAP_TRANSFER_COMPLETE).</summary>
/// <param name="Time">When.</param>
public sealed record Lwm2mBootstrapTransferCompleted(DateTimeOffset Time) : Lwm2mClientEvent(Time);

/// <summary>The bootstrap sequence is complete and the client registers next (carrier BOOTSTRAPPED).</summary>
/// <param name="Time">When.</param>
/// <param name="ServerAccounts">How many LwM2M server accounts the bootstrap server provided.</param>
public sealed record Lwm2mBootstrapped(DateTimeOffset Time, int ServerAccounts) : Lwm2mClientEvent(Time);

/// <summary>
/// The saved state (see <see cref="Lwm2mClientOptions.StateDirectory"/>) is damaged or half-written; it was not used and
/// the client started from its factory configuration instead.
/// </summary>
/// <param name="Time">When it was found.</param>
/// <param name="Error">What is wrong with the file.</param>
public sealed record Lwm2mStateCorrupted(DateTimeOffset Time, string Error) : Lwm2mClientEvent(Time);

/// <summary>Saving the bootstrapped configuration failed; the client runs on, but a restart will bootstrap again.</summary>
/// <param name="Time">When.</param>
/// <param name="Error">What the file system reported.</param>
public sealed record Lwm2mStateSaveFailed(DateTimeOffset Time, string Error) : Lwm2mClientEvent(Time);

/// <summary>The outcome of Bootstrap-Finish: accepted (answer 2.04) or refused (answer 4.06 with <see cref="Reason"/>).</summary>
/// <param name="Accepted">Whether the configuration was accepted.</param>
/// <param name="Reason">Why it was refused; the diagnostic payload of the 4.06.</param>
public sealed record Lwm2mBootstrapFinishResult(bool Accepted, string? Reason)
{
    /// <summary>The accepted result.</summary>
    public static Lwm2mBootstrapFinishResult Accept { get; } = new(true, null);

    /// <summary>A refusal with a reason.</summary>
    /// <param name="reason">The diagnostic.</param>
    public static Lwm2mBootstrapFinishResult Refuse(string reason) => new(false, reason);

    /// <summary>The CoAP code to answer Bootstrap-Finish with: 2.04 Changed or 4.06 Not Acceptable.</summary>
    public CoapCode Code => Accepted ? CoapCode.Changed : CoapCode.NotAcceptable;
}
