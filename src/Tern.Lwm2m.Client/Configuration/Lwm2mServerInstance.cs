namespace Tern.Lwm2m.Client.Configuration;

/// <summary>
/// One instance of the LwM2M Server object (1): how the client keeps its registration with one server.
/// Defaults are the ones the LwM2M 1.1/1.2 TS gives for absent resources.
/// </summary>
/// <param name="InstanceId">The object instance id (/1/x).</param>
/// <param name="ShortServerId">/1/x/0, 1..65534, linking to the Security instance with the same /0/x/10.</param>
/// <param name="Lifetime">/1/x/1; zero means the registration never expires and no Update is sent.</param>
/// <param name="Binding">/1/x/7, e.g. <c>U</c> or <c>UQ</c>; a <c>Q</c> asks for queue mode.</param>
public sealed record Lwm2mServerInstance(ushort InstanceId, ushort ShortServerId, TimeSpan Lifetime, string Binding = "U")
{
    /// <summary>/1/x/2, the default minimum period for observations.</summary>
    public TimeSpan? DefaultMinPeriod { get; init; }

    /// <summary>/1/x/3, the default maximum period for observations.</summary>
    public TimeSpan? DefaultMaxPeriod { get; init; }

    /// <summary>/1/x/5, how long the client stays disabled after the server executes /1/x/4 (default 86400 s).</summary>
    public TimeSpan DisableTimeout { get; init; } = TimeSpan.FromDays(1);

    /// <summary>/1/x/6, whether notifications are stored while the server is disabled or unreachable.</summary>
    public bool NotificationStoring { get; init; } = true;

    /// <summary>/1/x/16, whether a failed registration sequence falls back to bootstrap (default true).</summary>
    public bool BootstrapOnRegistrationFailure { get; init; } = true;

    /// <summary>/1/x/17, attempts in one communication sequence (default 5).</summary>
    public uint CommunicationRetryCount { get; init; } = 5;

    /// <summary>/1/x/18, the base of the exponential wait between attempts (default 60 s).</summary>
    public TimeSpan CommunicationRetryTimer { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>/1/x/19, the wait between two communication sequences (default 86400 s).</summary>
    public TimeSpan SequenceDelayTimer { get; init; } = TimeSpan.FromDays(1);

    /// <summary>/1/x/20, how many communication sequences are tried (default 1).</summary>
    public uint SequenceRetryCount { get; init; } = 1;

    /// <summary>/1/x/22, the preferred transport letter (e.g. <c>U</c>), if any.</summary>
    public string? PreferredTransport { get; init; }

    /// <summary>Whether the binding asks for queue mode (contains <c>Q</c>).</summary>
    public bool QueueMode => Binding.Contains('Q', StringComparison.Ordinal);
}
