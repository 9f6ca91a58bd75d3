using Tern.Coap.Transport;

namespace Tern.Coap.Diagnostics;

/// <summary>Names a chart participant: the address, and whether it is a recorded (local) endpoint. Null keeps the default name.</summary>
/// <param name="peer">The participant's address.</param>
/// <param name="isLocal">True for an endpoint whose transport was recorded; false for a peer it talked to.</param>
public delegate string? MermaidParticipantNamer(CoapPeer peer, bool isLocal);

/// <summary>How <see cref="MermaidSequenceChart"/> draws a recording.</summary>
public sealed class MermaidChartOptions
{
    /// <summary>Names the messages; <see cref="CoapMessageLabels.Default"/> (CoAP names) when null.</summary>
    public CoapMessageLabeller? Labeller { get; init; }

    /// <summary>
    /// Names the participants; when null (or when it returns null) a recorded endpoint is "Endpoint ADDRESS" and a
    /// peer "Peer ADDRESS".
    /// </summary>
    public MermaidParticipantNamer? ParticipantName { get; init; }

    /// <summary>A title drawn above the chart; none when null.</summary>
    public string? Title { get; init; }

    /// <summary>When true, each label starts with the seconds since the first entry, e.g. "[2.000s] CON GET /3/0".</summary>
    public bool ShowTime { get; init; }
}
