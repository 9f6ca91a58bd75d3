using System.Globalization;
using Tern.Lwm2m.Client.Engine;

namespace Tern.Cli.Commands;

/// <summary>One line of text per client event, for <c>tern client</c>'s output.</summary>
internal static class ClientEventText
{
    public static string Describe(Lwm2mClientEvent clientEvent) => clientEvent switch
    {
        Lwm2mStateChanged e => $"state         {e.From} -> {e.To}",
        Lwm2mRegistered e => $"registered    {e.Location} lwm2m={Version(e.Version)}",
        Lwm2mRegistrationDeferred e => $"deferred      {e.Reason}, next attempt at {Time(e.RetryAt)}",
        Lwm2mRegistrationFailed e => $"reg-failed    {(e.LastCode is { } code ? "last answer " + code : "no answer")}",
        Lwm2mUpdateCompleted => "updated",
        Lwm2mRegistrationTimedOut e => $"update-failed {e.Code}; registering again",
        Lwm2mNetworkError e => $"network-error {e.Request}: {e.Reason}",
        Lwm2mDeregistered => "deregistered",
        Lwm2mDeregisterFailed => "deregister-failed",
        Lwm2mQueueModeRxOff => "queue-mode    not listening",
        Lwm2mServerDisabled e => $"disabled      {(e.Until is { } until ? "until " + Time(until) : "until restarted")}",
        Lwm2mClientError e => $"error         {e.Code}: {e.Message}",
        Lwm2mEngineSuspended => "paused",
        Lwm2mEngineResumed => "resumed",
        _ => clientEvent.ToString(),
    };

    private static string Version(Lwm2mVersion version) => version switch
    {
        Lwm2mVersion.Lwm2m10 => "1.0",
        Lwm2mVersion.Lwm2m11 => "1.1",
        _ => "1.2",
    };

    private static string Time(DateTimeOffset time) => time.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
}
