using Microsoft.Extensions.Logging;
using Tern.Lwm2m.Client.Engine;

namespace Tern.Lwm2m.Client;

/// <content>Tells the transport when the lifecycle closes a connection (seed 001: reset the network context).</content>
public sealed partial class Lwm2mClient
{
    /// <summary>
    /// Raised on the client loop when the lifecycle closes its connection to a server: after Deregister, a failed
    /// Update, registration given up, or on the way into queue mode or suspension (<see cref="Lwm2mCloseConnection.KeepContext"/>
    /// true). Plain UDP needs nothing; <see cref="Lwm2mClientTransport.CloseConnection"/> ends a DTLS session unless the
    /// context is to be kept. Keep handlers quick: the loop waits for them.
    /// </summary>
    public event EventHandler<Lwm2mCloseConnection>? ConnectionClosed;

    private void OnCloseConnection(Lwm2mCloseConnection close)
    {
        try
        {
            ConnectionClosed?.Invoke(this, close);
        }
#pragma warning disable CA1031 // A failing handler must not end the client loop.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogConnectionHandlerFailed(e);
        }
    }

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "A ConnectionClosed handler failed")]
    private partial void LogConnectionHandlerFailed(Exception exception);
}
