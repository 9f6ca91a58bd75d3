using Microsoft.Extensions.Logging;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Firmware;

public sealed partial class FirmwareUpdate
{
    /// <summary>Under the lock: logs what the events say, with stable event IDs (500–509).</summary>
    private void LogEvent(Engine.Lwm2mClientEvent clientEvent)
    {
        switch (clientEvent)
        {
            case FirmwareUpdateStarted started:
                Log.Started(_logger, started.PackageUri.Length == 0 ? "push" : started.PackageUri);
                break;
            case FirmwareDownloadInterrupted interrupted:
                Log.Interrupted(_logger, interrupted.Attempt, interrupted.ResumeAt, interrupted.Reason);
                break;
            case FirmwareError error:
                Log.Failed(_logger, error.Kind, error.Value, (int)error.Result, error.Reason);
                break;
            case FirmwareStateCorrupted corrupted:
                Log.StateCorrupted(_logger, corrupted.Reason);
                break;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Firmware update {From} -> {To} (Update Result {Result})")]
        public static partial void StateChanged(ILogger logger, FirmwareUpdateState from, FirmwareUpdateState to, int result);

        [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "Firmware download started from {Source}")]
        public static partial void Started(ILogger logger, string source);

        [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "Firmware download interrupted ({Attempt} in a row); resuming at byte {ResumeAt}: {Reason}")]
        public static partial void Interrupted(ILogger logger, int attempt, long resumeAt, string reason);

        [LoggerMessage(EventId = 503, Level = LogLevel.Error, Message = "Firmware update failed ({Kind}, {Value}, Update Result {Result}): {Reason}")]
        public static partial void Failed(ILogger logger, FirmwareErrorKind kind, FirmwareErrorValue value, int result, string reason);

        [LoggerMessage(EventId = 504, Level = LogLevel.Error, Message = "{Reason} Object 5 starts from Idle.")]
        public static partial void StateCorrupted(ILogger logger, string reason);
    }
}
