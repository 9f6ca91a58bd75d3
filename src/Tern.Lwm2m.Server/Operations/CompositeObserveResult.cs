using Tern.Coap.Messages;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Server.Operations;

/// <summary>The outcome of an Observe-Composite: the first records (as a Read-Composite) and, when the client accepted, the observation.</summary>
public sealed class CompositeObserveResult : Lwm2mResult
{
    /// <summary>Creates a composite observe result.</summary>
    public CompositeObserveResult(Lwm2mResultStatus status, CoapCode? code = null, string? diagnostic = null, IReadOnlyList<Lwm2mRecord>? records = null, ushort? contentFormat = null, Lwm2mObservation? observation = null)
        : base(status, code, diagnostic)
    {
        Records = records ?? [];
        ContentFormat = contentFormat;
        Observation = observation;
    }

    /// <summary>The records in the client's first answer; empty unless successful.</summary>
    public IReadOnlyList<Lwm2mRecord> Records { get; }

    /// <summary>The content format of the first answer.</summary>
    public ushort? ContentFormat { get; }

    /// <summary>The running observation; null when the client answered without accepting it (no Observe option) or failed.</summary>
    public Lwm2mObservation? Observation { get; }
}
