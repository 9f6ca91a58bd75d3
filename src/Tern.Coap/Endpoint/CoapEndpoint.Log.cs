using Microsoft.Extensions.Logging;
using Tern.Coap.Engine;
using Tern.Coap.Transport;

namespace Tern.Coap.Endpoint;

public sealed partial class CoapEndpoint
{
    /// <summary>Log messages with stable event ids (1100–1199 belong to the CoAP endpoint).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "CoAP endpoint started on {LocalEndPoint}")]
        public static partial void Started(ILogger logger, CoapPeer localEndPoint);

        [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "CoAP endpoint on {LocalEndPoint} stopped")]
        public static partial void Stopped(ILogger logger, CoapPeer localEndPoint);

        [LoggerMessage(EventId = 1110, Level = LogLevel.Warning, Message = "Receiving a datagram failed; the receive loop continues")]
        public static partial void ReceiveFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 1111, Level = LogLevel.Debug, Message = "Ignored a datagram from {Peer} longer than the receive buffer ({Length} bytes)")]
        public static partial void DatagramTooLong(ILogger logger, CoapPeer peer, int length);

        [LoggerMessage(EventId = 1112, Level = LogLevel.Error, Message = "The engine failed on a datagram from {Peer}; the receive loop continues")]
        public static partial void EngineFailed(ILogger logger, CoapPeer peer, Exception exception);

        [LoggerMessage(EventId = 1113, Level = LogLevel.Warning, Message = "Sending a datagram to {Peer} failed")]
        public static partial void SendFailed(ILogger logger, CoapPeer peer, Exception exception);

        [LoggerMessage(EventId = 1114, Level = LogLevel.Debug, Message = "Input from {Peer} rejected: {Reason}")]
        public static partial void InputRejected(ILogger logger, CoapPeer peer, CoapRejectReason reason);

        [LoggerMessage(EventId = 1120, Level = LogLevel.Debug, Message = "Exchange {ExchangeId} failed ({Kind}): {Reason}")]
        public static partial void ExchangeFailed(ILogger logger, long exchangeId, CoapErrorKind kind, string reason);

        [LoggerMessage(EventId = 1121, Level = LogLevel.Debug, Message = "Deregistering observation {ExchangeId} failed ({Kind})")]
        public static partial void DeregistrationFailed(ILogger logger, long exchangeId, CoapErrorKind kind);

        [LoggerMessage(EventId = 1122, Level = LogLevel.Warning, Message = "The notification callback of observation {ExchangeId} threw")]
        public static partial void NotificationCallbackFailed(ILogger logger, long exchangeId, Exception exception);

        [LoggerMessage(EventId = 1130, Level = LogLevel.Warning, Message = "The request handler threw for {Peer} {Path}; answered 5.00")]
        public static partial void HandlerFailed(ILogger logger, CoapPeer peer, string path, Exception exception);

        [LoggerMessage(EventId = 1131, Level = LogLevel.Warning, Message = "The request handler timed out for {Peer} {Path}; answered 5.03")]
        public static partial void HandlerTimedOut(ILogger logger, CoapPeer peer, string path);

        [LoggerMessage(EventId = 1132, Level = LogLevel.Debug, Message = "Observer {ObserverId} removed: {Reason}")]
        public static partial void ObserverRemoved(ILogger logger, long observerId, CoapObserverRemovalReason reason);
    }
}
