using System.Runtime.CompilerServices;
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

    // Set by the exchange that sends Bootstrap-Request, read by the request handler: boxed so the swap is atomic.
    private volatile StrongBox<CoapPeer>? _bootstrapPeer;

    /// <summary>
    /// Where Bootstrap-Finish takes the configuration the bootstrap server's writes left in place. The data-model
    /// dispatcher sets this to read its Security, Server and Access Control instances; until then (and when null) the
    /// engine's current configuration is used. Called on the client's loop.
    /// </summary>
    internal Func<Lwm2mClientConfiguration>? BootstrapCandidate { get; set; }

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
    /// Entry point for the request dispatcher: the bootstrap server sent Bootstrap-Finish and <paramref name="candidate"/>
    /// is the configuration now in place. Returns what to answer: 2.04 (accepted; the client saves it and registers) or
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
    /// Entry point for the request dispatcher: a server executed Bootstrap-Request Trigger (/1/x/9). The client
    /// deregisters and then bootstraps; ignored while it bootstraps already.
    /// </summary>
    public void OnBootstrapTriggerExecuted() => Enqueue(() => _engine.OnServerBootstrapTriggerExecuted());

    /// <summary>
    /// Entry point for the request dispatcher: a request of the bootstrap server (Write, Delete, Discover, Read)
    /// succeeded, so the session is alive and the Bootstrap-Finish timeout starts over.
    /// </summary>
    public void OnBootstrapServerRequestHandled() => Enqueue(() => _engine.OnBootstrapServerRequest(_time.GetUtcNow()));

    /// <summary>
    /// Answers Bootstrap-Finish (POST /bs) arriving on the client's endpoint; null for any other request, which the
    /// caller serves (or answers 4.04). Only the peer the last Bootstrap-Request went to may finish. This is the one
    /// inbound request the driver serves itself until the data-model dispatcher takes over requests in general.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <param name="cancellationToken">Fires at the handler timeout.</param>
    internal async ValueTask<CoapResponse?> HandleBootstrapFinishAsync(CoapRequestContext context, CancellationToken cancellationToken)
    {
        if (!BootstrapMessages.IsBootstrapFinish(context.Request))
        {
            return null;
        }

        if (_bootstrapPeer is not { } peer || !SamePeer(peer.Value, context.Peer))
        {
            return CoapResponse.Text(CoapCode.Forbidden, "Bootstrap-Finish is accepted only from the bootstrap server the client asked.");
        }

        var result = await FinishAsync(() => BootstrapCandidate?.Invoke() ?? _engine.Configuration, cancellationToken).ConfigureAwait(false);
        return result.Accepted ? new CoapResponse(CoapCode.Changed) : CoapResponse.Text(CoapCode.NotAcceptable, result.Reason ?? "Not acceptable.");
    }

    // A dual-mode socket reports IPv4 peers as IPv4-mapped IPv6 addresses: compare both in one form.
    private static bool SamePeer(CoapPeer a, CoapPeer b) =>
        a.EndPoint.Port == b.EndPoint.Port && a.EndPoint.Address.MapToIPv6().Equals(b.EndPoint.Address.MapToIPv6());

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

/// <summary>
/// A request handler for the client's <see cref="CoapEndpoint"/> that serves Bootstrap-Finish through
/// <see cref="Lwm2mClient.HandleBootstrapFinishAsync"/> and answers everything else 4.04. It is created before the
/// endpoint (whose options take the handler) and bound to the client afterwards. The data-model dispatcher's general
/// handler replaces it.
/// </summary>
internal sealed class Lwm2mClientBootstrapHandler : ICoapRequestHandler
{
    /// <summary>The client to serve; requests before it is set are answered 5.03.</summary>
    public Lwm2mClient? Client { get; set; }

    public async ValueTask<CoapResponse?> HandleAsync(CoapRequestContext request, CancellationToken cancellationToken) =>
        Client is { } client
            ? await client.HandleBootstrapFinishAsync(request, cancellationToken).ConfigureAwait(false) ?? new CoapResponse(CoapCode.NotFound)
            : new CoapResponse(CoapCode.ServiceUnavailable);
}
