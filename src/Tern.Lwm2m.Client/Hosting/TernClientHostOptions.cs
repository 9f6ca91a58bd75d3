using System.Net;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Engine;

namespace Tern.Lwm2m.Client.Hosting;

/// <summary>Settings of the hosted client that <see cref="TernClientServiceCollectionExtensions.AddTernClient"/> registers.</summary>
public sealed class TernClientHostOptions
{
    /// <summary>The factory-bootstrap configuration, used when the state directory holds no saved state.</summary>
    public Lwm2mClientConfiguration? Configuration { get; set; }

    /// <summary>Endpoint name, versions, objects and timing.</summary>
    public Lwm2mClientOptions? Client { get; set; }

    /// <summary>The local UDP address to bind (any IPv4 address, a free port, unless set).</summary>
    public IPEndPoint LocalEndPoint { get; set; } = new(IPAddress.Any, 0);

    /// <summary>Whether stopping the host deregisters first (default true).</summary>
    public bool DeregisterOnStop { get; set; } = true;

    /// <summary>A state directory whose saved configuration (see <see cref="Lwm2mStateStore"/>) takes precedence when present.</summary>
    public string? StateDirectory { get; set; }
}
