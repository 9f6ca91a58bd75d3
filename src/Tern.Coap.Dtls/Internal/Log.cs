using Microsoft.Extensions.Logging;

namespace Tern.Coap.Dtls.Internal;

internal static partial class Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "DTLS session with {Peer} established ({CipherSuite}, resumed: {Resumed})")]
    private static partial void SessionEstablishedCore(ILogger logger, string peer, DtlsCipherSuite cipherSuite, bool resumed);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "DTLS handshake with {Peer} failed: {Kind}: {Reason}")]
    private static partial void HandshakeFailedCore(ILogger logger, string peer, DtlsErrorKind kind, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "DTLS session with {Peer} closed after idle timeout")]
    private static partial void SessionIdleCore(ILogger logger, string peer);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Debug, Message = "Dropped a datagram from {Peer}: {Reason}")]
    private static partial void DroppedCore(ILogger logger, string peer, string reason);

    public static void SessionEstablished(ILogger? logger, string peer, DtlsCipherSuite suite, bool resumed)
    {
        if (logger is not null)
        {
            SessionEstablishedCore(logger, peer, suite, resumed);
        }
    }

    public static void HandshakeFailed(ILogger? logger, string peer, DtlsErrorKind kind, string reason)
    {
        if (logger is not null)
        {
            HandshakeFailedCore(logger, peer, kind, reason);
        }
    }

    public static void SessionIdle(ILogger? logger, string peer)
    {
        if (logger is not null)
        {
            SessionIdleCore(logger, peer);
        }
    }

    public static void Dropped(ILogger? logger, string peer, string reason)
    {
        if (logger is not null)
        {
            DroppedCore(logger, peer, reason);
        }
    }
}
