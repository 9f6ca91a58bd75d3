using System.Text;
using Tern.Coap.Endpoint;
using Tern.Coap.Engine;
using Tern.Coap.Messages;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Operations;
using Tern.Lwm2m.Server.Registrations;

namespace Tern.Lwm2m.Server;

public sealed partial class Lwm2mServer
{
    /// <summary>The outcome of one CoAP exchange with a client: its response, or the failure that replaced it.</summary>
    private readonly record struct Exchange(Registration? Registration, CoapResponse? Response, Lwm2mResult? Failure);

    /// <summary>
    /// Looks up <paramref name="endpoint"/>, builds the request for its registration and sends it, bounded by the
    /// timeout. Failures (not registered, timeout, reset) come back as <see cref="Exchange.Failure"/>; only the
    /// caller's own cancellation throws.
    /// </summary>
    private async Task<Exchange> ExchangeAsync(string endpoint, Func<Registration, CoapMessage> build, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var (registration, response, failure) = await ExchangeAsync(endpoint, (r, token) => _endpoint.SendAsync(r.Peer, build(r), token), timeout, cancellationToken).ConfigureAwait(false);
        return new Exchange(registration, response, failure);
    }

    /// <summary>The general form of <see cref="ExchangeAsync(string, Func{Registration, CoapMessage}, TimeSpan?, CancellationToken)"/>: <paramref name="send"/> performs the exchange.</summary>
    private async Task<(Registration? Registration, T? Value, Lwm2mResult? Failure)> ExchangeAsync<T>(string endpoint, Func<Registration, CancellationToken, Task<T>> send, TimeSpan? timeout, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        cancellationToken.ThrowIfCancellationRequested();
        TimeSpan limit = timeout ?? _options.RequestTimeout;
        if (limit <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be positive.");
        }

        Registration? registration = await Store.GetByEndpointAsync(endpoint, cancellationToken).ConfigureAwait(false);
        if (registration is null)
        {
            return (null, null, new Lwm2mResult(Lwm2mResultStatus.NotRegistered, diagnostic: $"No client is registered as '{endpoint}'."));
        }

        using var timer = new CancellationTokenSource(limit, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        Action release = static () => { };
        try
        {
            if (registration.QueueMode)
            {
                (Registration? current, release) = await WaitForTurnAsync(registration, linked.Token).ConfigureAwait(false);
                if (current is null)
                {
                    return (null, null, new Lwm2mResult(Lwm2mResultStatus.NotRegistered, diagnostic: $"'{endpoint}' de-registered before the request could go out."));
                }

                registration = current;
            }

            // The endpoint queues the request as soon as send is called, so the next queued request may follow.
            Task<T> sending = send(registration, linked.Token);
            release();
            T value = await sending.ConfigureAwait(false);
            return (registration, value, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            MarkAsleep(registration);
            return (registration, null, new Lwm2mResult(Lwm2mResultStatus.Timeout, diagnostic: $"'{endpoint}' did not answer within {limit}."));
        }
        catch (CoapException ex) when (ex.Kind == CoapErrorKind.Timeout)
        {
            MarkAsleep(registration);
            return (registration, null, new Lwm2mResult(Lwm2mResultStatus.Timeout, diagnostic: ex.Message));
        }
        catch (CoapException ex)
        {
            return (registration, null, new Lwm2mResult(Lwm2mResultStatus.NetworkError, diagnostic: $"{ex.Kind}: {ex.Message}"));
        }
        catch (ObjectDisposedException)
        {
            return (registration, null, new Lwm2mResult(Lwm2mResultStatus.NetworkError, diagnostic: "The server is shutting down."));
        }
        finally
        {
            release();
        }
    }

    /// <summary>A request on <paramref name="path"/> below the client's root path.</summary>
    private static CoapMessage Request(CoapCode code, Registration registration, Lwm2mPath path) =>
        new CoapMessage { Type = CoapMessageType.Confirmable, Code = code }.SetUriPath(registration.RootPath + path.ToString());

    /// <summary>The result for a response: success for 2.xx, otherwise the code with the client's diagnostic payload.</summary>
    private static Lwm2mResult ToResult(CoapResponse response) =>
        response.IsSuccess
            ? new Lwm2mResult(Lwm2mResultStatus.Success, response.Code)
            : new Lwm2mResult(Lwm2mResultStatus.ErrorResponse, response.Code, Diagnostic(response));

    private static string? Diagnostic(CoapResponse response) =>
        response.Payload.IsEmpty ? null : Encoding.UTF8.GetString(response.Payload.Span);

    private static bool IsFormatRefusal(CoapResponse response) =>
        response.Code == CoapCode.NotAcceptable || response.Code == CoapCode.UnsupportedContentFormat;
}
