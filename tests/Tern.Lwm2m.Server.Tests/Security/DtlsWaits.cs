using Tern.Lwm2m.Client;
using Tern.Lwm2m.Client.Engine;

namespace Tern.Lwm2m.Server.Security;

/// <summary>
/// Waits shared by the DTLS tests over real loopback sockets. <see cref="Bound"/> is a safety net against a hang, never
/// a measure of speed.
/// </summary>
internal static class DtlsWaits
{
    /// <summary>How long any one wait may take before the test fails instead of hanging.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    /// <summary>The next raise of an event, subscribed now: <c>Next&lt;T&gt;(h =&gt; server.Registered += h)</c>.</summary>
    public static Task<T> Next<T>(Action<EventHandler<T>> subscribe)
    {
        var seen = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        subscribe((_, e) => seen.TrySetResult(e));
        return seen.Task.WaitAsync(Bound);
    }

    /// <summary>Reads the client's events until one of type <typeparamref name="T"/> (and <paramref name="match"/>) comes.</summary>
    public static async Task<T> NextEventAsync<T>(Lwm2mClient client, Func<T, bool>? match = null)
        where T : Lwm2mClientEvent
    {
        while (true)
        {
            if (await client.Events.ReadAsync().AsTask().WaitAsync(Bound) is T wanted && (match is null || match(wanted)))
            {
                return wanted;
            }
        }
    }
}
