using Tern.Coap.Messages;
using Tern.Lwm2m.Formats.LinkFormat;
using Tern.Lwm2m.Model;

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

    /// <summary>The nodes Bootstrap-Read returned, by the path read (only the reads the client answered with success and a payload that decoded).</summary>
    public IReadOnlyDictionary<Lwm2mPath, Lwm2mNode> Read { get; init; } = new Dictionary<Lwm2mPath, Lwm2mNode>();
}
