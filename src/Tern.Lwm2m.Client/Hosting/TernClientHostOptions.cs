using System.Net;
using Tern.Coap.Endpoint;
using Tern.Coap.Engine;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Client.Firmware;

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

    /// <summary>
    /// A state directory whose saved configuration (see <see cref="Lwm2mStateStore"/>) takes precedence when present, and
    /// where the client keeps what a bootstrap server provides (it replaces <see cref="Lwm2mClientOptions.StateDirectory"/>
    /// when set). A damaged state file is handled as <see cref="Lwm2mClient"/> does: logged, reported as the client's first
    /// event (<see cref="Lwm2mStateCorrupted"/>) and not used; the client starts from <see cref="Configuration"/>.
    /// </summary>
    public string? StateDirectory { get; set; }

    /// <summary>
    /// The data model the client serves (Read, Write, Execute, Discover, the bootstrap interface...); its Security and
    /// Server instances are replaced by the configuration in use. Null serves nothing (requests are answered 4.04) and
    /// advertises <see cref="Lwm2mClientOptions.Objects"/> instead.
    /// </summary>
    public Lwm2mObjectStore? Store { get; set; }

    /// <summary>
    /// Settings of the client's CoAP endpoint; null for the defaults. When <see cref="Store"/> serves Firmware Update (5)
    /// (<c>store.AddFirmwareUpdate</c>) and these set no <see cref="CoapEngineOptions.PassBlock1Through"/>, the host sets
    /// <see cref="Lwm2mFirmwareObject.IsPackageBlock"/> there, so a package pushed to /5/0/0 streams to storage block by
    /// block; a filter set here is kept as it is.
    /// </summary>
    public CoapEndpointOptions? Coap { get; set; }
}
