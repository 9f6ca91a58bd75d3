using Microsoft.Extensions.Logging;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Transport;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Engine;

namespace Tern.Lwm2m.Client;

/// <summary>
/// The driver's side of bootstrap: the application's request, the entry points the request dispatcher calls when the
/// bootstrap server finishes or a server executes /1/x/9, and keeping the bootstrapped configuration in
/// <see cref="Lwm2mClientOptions.StateDirectory"/>.
/// </summary>
public sealed partial class Lwm2mClient
{
    private readonly Lwm2mStateStore? _stateStore;

    /// <summary>
    /// Asks the client to bootstrap (<see cref="Lwm2mClientEngine.RequestBootstrap"/>): a registered client deregisters
    /// first; a client not started yet bootstraps when started. The only refusal is <see cref="Lwm2mBootstrapRequestResult.AlreadyBootstrapping"/>, returned (not thrown)
    /// while the client is bootstrapping or a bootstrap is already requested, as the application cannot know for sure.
    /// </summary>
    /// <param name="cancellationToken">Gives up waiting for the answer (the request may still be applied).</param>
    public async Task<Lwm2mBootstrapRequestResult> RequestBootstrapAsync(CancellationToken cancellationToken = default)
    {
        if (!IsLoopRunning)
        {
            // No loop owns the engine yet (or any more): the request waits in the engine for the next start.
            return _engine.RequestBootstrap();
        }

        var answer = new TaskCompletionSource<Lwm2mBootstrapRequestResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        await Post(() => answer.TrySetResult(_engine.RequestBootstrap())).ConfigureAwait(false);
        return await answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Finishes a bootstrap with <paramref name="candidate"/> as the configuration now in place (a client serving a
    /// <see cref="DataModel"/> does this itself on POST /bs, with the store's instances; this is for clients without one). Returns what to answer: 2.04 (accepted; the client saves it and registers) or
    /// 4.06 with <see cref="Lwm2mBootstrapFinishResult.Reason"/> as the diagnostic payload (the client stays in Bootstrap).
    /// See <see cref="Lwm2mClientEngine.OnBootstrapFinish"/>.
    /// </summary>
    /// <param name="candidate">The Security, Server and Access Control instances the bootstrap server left.</param>
    /// <param name="cancellationToken">Gives up waiting for the loop.</param>
    public async Task<Lwm2mBootstrapFinishResult> OnBootstrapFinishAsync(Lwm2mClientConfiguration candidate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return await FinishAsync(() => candidate, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A server executed Bootstrap-Request Trigger (/1/x/9; a client serving a <see cref="DataModel"/> calls this itself). The client
    /// deregisters and then bootstraps; ignored while it bootstraps already.
    /// </summary>
    public void OnBootstrapTriggerExecuted() => Enqueue(() => _engine.OnServerBootstrapTriggerExecuted());

    /// <summary>
    /// A request of the bootstrap server (Write, Delete, Discover, Read) succeeded (a client serving a <see cref="DataModel"/>
    /// calls this itself), so the session is alive and the Bootstrap-Finish timeout starts over.
    /// </summary>
    public void OnBootstrapServerRequestHandled() => Enqueue(() => _engine.OnBootstrapServerRequest(_time.GetUtcNow()));

    private bool IsLoopRunning => _loop is { IsCompleted: false };

    private void Enqueue(Action action) => ObjectDisposedException.ThrowIf(!_inbox.Writer.TryWrite(action), this);

    private async Task<Lwm2mBootstrapFinishResult> FinishAsync(Func<Lwm2mClientConfiguration> candidate, CancellationToken cancellationToken)
    {
        if (!IsLoopRunning)
        {
            return _engine.OnBootstrapFinish(candidate(), _time.GetUtcNow());
        }

        var answer = new TaskCompletionSource<Lwm2mBootstrapFinishResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        await Post(() => answer.TrySetResult(_engine.OnBootstrapFinish(candidate(), _time.GetUtcNow()))).ConfigureAwait(false);
        return await answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The saved state when there is usable state, else the factory configuration (and why the state was not usable).</summary>
    private static (Lwm2mClientConfiguration Configuration, Lwm2mStateStore? Store, string? Corruption) LoadState(Lwm2mClientConfiguration factory, Lwm2mClientOptions options)
    {
        if (options.StateDirectory is not { } directory)
        {
            return (factory, null, null);
        }

        var store = new Lwm2mStateStore(directory);
        var loaded = store.Load();
        return loaded.Status switch
        {
            Lwm2mStateStatus.Loaded => (loaded.Configuration!, store, null),
            Lwm2mStateStatus.Corrupted => (factory, store, loaded.Error),
            _ => (factory, store, null),
        };
    }

    private void SaveState(Lwm2mClientConfiguration configuration)
    {
        if (_stateStore is null)
        {
            return;
        }

        try
        {
            _stateStore.Save(configuration);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogStateSaveFailed(_stateStore.FilePath, e.Message);
            _events.Writer.TryWrite(new Lwm2mStateSaveFailed(_time.GetUtcNow(), e.Message));
        }
    }

    [LoggerMessage(EventId = 21, Level = LogLevel.Error, Message = "{Error} Starting from the factory configuration instead.")]
    private partial void LogStateCorrupted(string error);

    [LoggerMessage(EventId = 22, Level = LogLevel.Error, Message = "Saving the bootstrapped configuration to {Path} failed: {Error}")]
    private partial void LogStateSaveFailed(string path, string error);
}
