using Microsoft.Extensions.Logging;
using Tern.Coap.Messages;
using Tern.Coap.Transport;

namespace Tern.Lwm2m.Server;

public sealed partial class Lwm2mServer
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Client {Endpoint} registered as {Id} from {Peer} (LwM2M {Version}, lifetime {Lifetime})")]
        public static partial void Registered(ILogger logger, string endpoint, string id, CoapPeer peer, string version, TimeSpan lifetime);

        [LoggerMessage(EventId = 6002, Level = LogLevel.Debug, Message = "Client {Endpoint} updated registration {Id} from {Peer}")]
        public static partial void Updated(ILogger logger, string endpoint, string id, CoapPeer peer);

        [LoggerMessage(EventId = 6003, Level = LogLevel.Information, Message = "Client {Endpoint} de-registered {Id}")]
        public static partial void Deregistered(ILogger logger, string endpoint, string id);

        [LoggerMessage(EventId = 6004, Level = LogLevel.Information, Message = "Registration {Id} of {Endpoint} expired")]
        public static partial void Expired(ILogger logger, string endpoint, string id);

        [LoggerMessage(EventId = 6005, Level = LogLevel.Warning, Message = "Refused a registration request from {Peer} with {Code}: {Reason}")]
        public static partial void Refused(ILogger logger, CoapPeer peer, CoapCode code, string reason);

        [LoggerMessage(EventId = 6006, Level = LogLevel.Error, Message = "The {Event} handler failed for {Endpoint}")]
        public static partial void EventHandlerFailed(ILogger logger, string @event, string endpoint, Exception exception);

        [LoggerMessage(EventId = 6007, Level = LogLevel.Debug, Message = "{Endpoint} refused format {Format} with {Code}; retrying in {Fallback}")]
        public static partial void FormatFallback(ILogger logger, string endpoint, ushort format, CoapCode code, ushort fallback);
    }
}
