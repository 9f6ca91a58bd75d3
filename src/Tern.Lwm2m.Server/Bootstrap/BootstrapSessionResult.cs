using Tern.Coap.Messages;
using Tern.Lwm2m.Formats.LinkFormat;

namespace Tern.Lwm2m.Server.Bootstrap;

/// <summary>One request of a bootstrap session and how the client answered it (null code: no answer).</summary>
public sealed record BootstrapStep(string Operation, string Path, CoapCode? Code);

/// <summary>How a bootstrap session ended.</summary>
public sealed class BootstrapSessionEventArgs : EventArgs
{
    /// <summary>Creates the event arguments.</summary>
    public BootstrapSessionEventArgs(string endpoint, bool success, IReadOnlyList<BootstrapStep> steps, string? failure, IReadOnlyList<CoreLink> discovered)
    {
        Endpoint = endpoint;
        Success = success;
        Steps = steps;
        Failure = failure;
        Discovered = discovered;
    }

    /// <summary>The bootstrapped endpoint.</summary>
    public string Endpoint { get; }

    /// <summary>True when every step, Bootstrap-Finish included, was answered with success.</summary>
    public bool Success { get; }

    /// <summary>The requests sent, in order, with the client's answers.</summary>
    public IReadOnlyList<BootstrapStep> Steps { get; }

    /// <summary>Why the session failed; null on success.</summary>
    public string? Failure { get; }

    /// <summary>The links of the Bootstrap-Discover, when the configuration asked for one.</summary>
    public IReadOnlyList<CoreLink> Discovered { get; }
}
