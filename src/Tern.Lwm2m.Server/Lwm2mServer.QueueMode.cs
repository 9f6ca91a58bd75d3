using System.Collections.Concurrent;
using Tern.Lwm2m.Server.Registrations;

namespace Tern.Lwm2m.Server;

public sealed partial class Lwm2mServer
{
    private readonly ConcurrentDictionary<string, ClientPresence> _presence = new(StringComparer.Ordinal);

    /// <summary>
    /// For a queue-mode client, waits for this request's turn: behind every earlier request to the same client, and
    /// until the client is awake (it registered or updated less than <see cref="Lwm2mServerOptions.QueueModeAwakeTime"/>
    /// ago). Returns the registration to send with (its address may have changed while waiting), or null when it
    /// ended meanwhile. Call the returned release once the request has been handed to the endpoint.
    /// </summary>
    private async Task<(Registration? Registration, Action Release)> WaitForTurnAsync(Registration registration, CancellationToken cancellationToken)
    {
        ClientPresence presence = _presence.GetOrAdd(registration.Endpoint, _ => new ClientPresence());
        var turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task previous;
        lock (presence)
        {
            previous = presence.Tail;
            presence.Tail = turn.Task;
        }

        void Release() => turn.TrySetResult();
        try
        {
            await previous.WaitAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                Registration? current = await Store.GetByEndpointAsync(registration.Endpoint, cancellationToken).ConfigureAwait(false);
                if (current is null || !current.QueueMode)
                {
                    return (current, Release);
                }

                Task wake;
                lock (presence)
                {
                    wake = presence.Wake.Task;
                    if (presence.AwakeUntil > _time.GetUtcNow())
                    {
                        wake = Task.CompletedTask;
                    }
                }

                if (wake.IsCompleted)
                {
                    return (current, Release);
                }

                await wake.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            Release();
            throw;
        }
    }

    /// <summary>The client just spoke (Register, Update): it listens for <see cref="Lwm2mServerOptions.QueueModeAwakeTime"/>.</summary>
    private void MarkAwake(Registration registration)
    {
        // A client that re-registered without queue mode also releases what waited for it.
        ClientPresence? presence = registration.QueueMode
            ? _presence.GetOrAdd(registration.Endpoint, _ => new ClientPresence())
            : _presence.GetValueOrDefault(registration.Endpoint);
        if (presence is null)
        {
            return;
        }

        lock (presence)
        {
            presence.AwakeUntil = _time.GetUtcNow() + _options.QueueModeAwakeTime;
            presence.Signal();
        }
    }

    /// <summary>A queue-mode client did not answer: treat it as asleep until it speaks again.</summary>
    private void MarkAsleep(Registration registration)
    {
        if (registration.QueueMode && _presence.TryGetValue(registration.Endpoint, out ClientPresence? presence))
        {
            lock (presence)
            {
                presence.AwakeUntil = DateTimeOffset.MinValue;
            }
        }
    }

    /// <summary>The registration ended: requests waiting for the client look again and find it gone.</summary>
    private void WakeWaitersOfGone(Registration registration)
    {
        if (_presence.TryGetValue(registration.Endpoint, out ClientPresence? presence))
        {
            lock (presence)
            {
                presence.Signal();
            }
        }
    }

    /// <summary>Whether a queue-mode client is listening, and the order of requests waiting for it.</summary>
    private sealed class ClientPresence
    {
        public DateTimeOffset AwakeUntil { get; set; } = DateTimeOffset.MinValue;

        public Task Tail { get; set; } = Task.CompletedTask;

        public TaskCompletionSource Wake { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Signal()
        {
            TaskCompletionSource fired = Wake;
            Wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            fired.TrySetResult();
        }
    }
}
