using Tern.Lwm2m.Client.Configuration;

namespace Tern.Lwm2m.Client.Reporting;

/// <summary>The Server (1) instance resources that shape reporting to one server.</summary>
/// <param name="ShortServerId">/1/x/0, the server the observations, attributes and stored notifications belong to.</param>
public sealed record ReportingServerSettings(ushort ShortServerId)
{
    /// <summary>/1/x/2 Default Minimum Period: pmin when no level of the path sets one (null: 0).</summary>
    public TimeSpan? DefaultMinPeriod { get; init; }

    /// <summary>/1/x/3 Default Maximum Period: pmax when no level of the path sets one (null: none).</summary>
    public TimeSpan? DefaultMaxPeriod { get; init; }

    /// <summary>/1/x/6 Notification Storing When Disabled or Offline (TS default: true).</summary>
    public bool NotificationStoring { get; init; } = true;

    /// <summary>/1/x/23 Mute Send: when true the client refuses to Send to this server.</summary>
    public bool MuteSend { get; init; }

    /// <summary>Takes /1/x/0, /1/x/2, /1/x/3 and /1/x/6 from a Server instance; Mute Send is not held there, so it is given.</summary>
    /// <param name="server">The Server object instance.</param>
    /// <param name="muteSend">/1/x/23.</param>
    public static ReportingServerSettings FromServerInstance(Lwm2mServerInstance server, bool muteSend = false)
    {
        ArgumentNullException.ThrowIfNull(server);
        return new ReportingServerSettings(server.ShortServerId)
        {
            DefaultMinPeriod = server.DefaultMinPeriod,
            DefaultMaxPeriod = server.DefaultMaxPeriod,
            NotificationStoring = server.NotificationStoring,
            MuteSend = muteSend,
        };
    }
}

/// <summary>What a bounded queue does when it is full.</summary>
public enum OverflowPolicy
{
    /// <summary>The oldest entry is dropped to make room for the new one.</summary>
    DropOldest,

    /// <summary>The new entry is refused; the queue keeps what it has.</summary>
    RefuseNew,
}

/// <summary>Options of <see cref="Lwm2mReporter"/>; validated when the reporter is built.</summary>
public sealed class ReportingOptions
{
    /// <summary>Most notifications and Sends stored per server while it is offline or disabled (default 256).</summary>
    public int MaxStoredPerServer { get; init; } = 256;

    /// <summary>What happens when the store of one server is full (default: drop the oldest).</summary>
    public OverflowPolicy StoredOverflow { get; init; } = OverflowPolicy.DropOldest;

    /// <summary>Most observations one server may hold (default 64); more are refused.</summary>
    public int MaxObservationsPerServer { get; init; } = 64;

    /// <summary>Whether a notification is confirmable when no con attribute applies (default false).</summary>
    public bool DefaultConfirmable { get; init; }

    /// <summary>
    /// RFC 7641 §4.5: a notification is sent confirmable when the last confirmable one of that observation is at
    /// least this old (default 24 h; null never forces one).
    /// </summary>
    public TimeSpan? ConfirmableInterval { get; init; } = TimeSpan.FromHours(24);

    /// <summary>The content format of Send (default SenML CBOR, 112).</summary>
    public ushort SendContentFormat { get; init; } = Tern.Lwm2m.Formats.Lwm2mContentFormat.SenmlCbor;

    internal void Validate()
    {
        if (MaxStoredPerServer < 0)
        {
            throw new ArgumentException($"{nameof(MaxStoredPerServer)} must not be negative; use 0 to store nothing.");
        }

        if (MaxObservationsPerServer < 1)
        {
            throw new ArgumentException($"{nameof(MaxObservationsPerServer)} must be at least 1.");
        }

        if (ConfirmableInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(ConfirmableInterval)} must be positive, or null to never force a confirmable notification.");
        }
    }
}
