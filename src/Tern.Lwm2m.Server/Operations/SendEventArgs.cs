using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Registrations;

namespace Tern.Lwm2m.Server.Operations;

/// <summary>Data a registered client pushed with the Send operation (POST /dp).</summary>
public sealed class SendEventArgs : EventArgs
{
    /// <summary>Creates the event arguments.</summary>
    public SendEventArgs(Registration registration, IReadOnlyList<Lwm2mRecord> records, ushort contentFormat, DateTimeOffset receivedAt)
    {
        Registration = registration;
        Records = records;
        ContentFormat = contentFormat;
        ReceivedAt = receivedAt;
    }

    /// <summary>The sending client's registration.</summary>
    public Registration Registration { get; }

    /// <summary>The records sent (absolute paths, values, timestamps when the client gave them).</summary>
    public IReadOnlyList<Lwm2mRecord> Records { get; }

    /// <summary>The content format the data came in.</summary>
    public ushort ContentFormat { get; }

    /// <summary>When the server received it, on the server's clock.</summary>
    public DateTimeOffset ReceivedAt { get; }
}
