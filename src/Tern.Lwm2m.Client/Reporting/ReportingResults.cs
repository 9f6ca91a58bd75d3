namespace Tern.Lwm2m.Client.Reporting;

/// <summary>How an Observe or Observe-Composite request ended.</summary>
public enum ObserveStatus
{
    /// <summary>The observation is in place; answer 2.05 Content with the initial values and Observe = 0.</summary>
    Observing,

    /// <summary>A path does not exist (4.04 Not Found).</summary>
    NotFound,

    /// <summary>The server holds as many observations as allowed (5.00, the observation is not kept).</summary>
    TooManyObservations,

    /// <summary>The attributes given with the Observe break a rule (4.00 Bad Request).</summary>
    BadAttributes,
}

/// <summary>The outcome of an Observe or Observe-Composite.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Observation">The new observation when <see cref="ObserveStatus.Observing"/>.</param>
/// <param name="Values">The initial values to answer with, one per path, when observing.</param>
/// <param name="Error">Why it was refused.</param>
public sealed record ObserveResult(ObserveStatus Status, Observation? Observation, IReadOnlyList<ReportedPath> Values, string? Error)
{
    /// <summary>The CoAP response code to answer with, written "c.dd".</summary>
    public string CoapCode => Status switch
    {
        ObserveStatus.Observing => "2.05",
        ObserveStatus.NotFound => "4.04",
        ObserveStatus.BadAttributes => "4.00",
        _ => "5.00",
    };
}

/// <summary>How a Send request ended.</summary>
public enum SendStatus
{
    /// <summary>A <see cref="SendAction"/> is queued for the driver.</summary>
    Queued,

    /// <summary>The server is offline or disabled and stores notifications (/1/x/6): the Send goes out after reconnecting.</summary>
    Stored,

    /// <summary>Mute Send (/1/x/23) is true for this server; nothing is sent.</summary>
    Muted,

    /// <summary>The server is offline or disabled and does not store (/1/x/6 false); nothing is sent.</summary>
    Offline,

    /// <summary>A path does not exist; nothing is sent.</summary>
    NotFound,
}

/// <summary>The outcome of <see cref="Lwm2mReporter.RequestSend"/>.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Action">The Send when queued or stored.</param>
/// <param name="Error">Why it was refused.</param>
public readonly record struct SendResult(SendStatus Status, SendAction? Action, string? Error)
{
    /// <summary>True when the Send was queued or stored.</summary>
    public bool IsAccepted => Status is SendStatus.Queued or SendStatus.Stored;
}
