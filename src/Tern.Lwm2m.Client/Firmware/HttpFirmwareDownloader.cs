using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;

namespace Tern.Lwm2m.Client.Firmware;

/// <summary>
/// Pulls a package over http or https with <see cref="HttpClient"/>, streaming the body to storage. A resumed attempt
/// sends <c>Range: bytes=N-</c> for what the sink lacks; a server that ignores it (200 instead of 206) is read from the
/// start and the bytes already stored are skipped. A certificate the platform does not trust ends the attempt as
/// <see cref="FirmwareTransferStatus.SecurityRefused"/>.
/// </summary>
public sealed class HttpFirmwareDownloader : IFirmwareDownloader, IDisposable
{
    private readonly HttpClient _client;
    private readonly TimeProvider _time;

    /// <summary>Uses <paramref name="handler"/> (null for a default <see cref="SocketsHttpHandler"/>).</summary>
    /// <param name="handler">The message handler, e.g. one with a custom certificate check; disposed with this downloader.</param>
    /// <param name="attemptTimeout">How long one attempt may go without finishing (default 5 minutes).</param>
    /// <param name="time">The clock for the timeout; <see cref="TimeProvider.System"/> when null.</param>
    public HttpFirmwareDownloader(HttpMessageHandler? handler = null, TimeSpan? attemptTimeout = null, TimeProvider? time = null)
    {
        _client = new HttpClient(handler ?? new SocketsHttpHandler(), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _time = time ?? TimeProvider.System;
        AttemptTimeout = attemptTimeout ?? TimeSpan.FromMinutes(5);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(AttemptTimeout, TimeSpan.Zero);
    }

    /// <summary>How long one attempt may take.</summary>
    public TimeSpan AttemptTimeout { get; }

    /// <inheritdoc />
    public bool Supports(string scheme) =>
        string.Equals(scheme, "http", StringComparison.OrdinalIgnoreCase) || string.Equals(scheme, "https", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public async Task<FirmwareTransferOutcome> DownloadAsync(Uri uri, FirmwarePackageSink sink, FirmwareProgressCallback progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(progress);
        if (sink.IsComplete)
        {
            return FirmwareTransferOutcome.Completed;
        }

        using var timeout = new CancellationTokenSource(AttemptTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await TransferAsync(uri, sink, progress, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new(FirmwareTransferStatus.Interrupted, $"the attempt took longer than {AttemptTimeout}");
        }
        catch (HttpRequestException e) when (IsCertificateFailure(e))
        {
            return new(FirmwareTransferStatus.SecurityRefused, $"the TLS handshake with {uri.Host} failed: {e.InnerException?.Message ?? e.Message}");
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            return new(FirmwareTransferStatus.ConnectFailed, $"cannot connect to {uri.Authority}: {e.Message}");
        }
        catch (HttpRequestException e)
        {
            return new(FirmwareTransferStatus.Interrupted, $"the request broke off: {e.Message}");
        }
        catch (IOException e)
        {
            return new(FirmwareTransferStatus.Interrupted, $"the body broke off at {sink.Length}: {e.Message}");
        }
    }

    /// <summary>Disposes the HTTP client and its handler.</summary>
    public void Dispose() => _client.Dispose();

    private async Task<FirmwareTransferOutcome> TransferAsync(Uri uri, FirmwarePackageSink sink, FirmwareProgressCallback progress, CancellationToken cancellationToken)
    {
        long start = sink.Length;
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (start > 0)
        {
            request.Headers.Range = new RangeHeaderValue(start, null);
        }

        using HttpResponseMessage response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        long offset;
        long? total;
        switch (response.StatusCode)
        {
            case HttpStatusCode.OK:
                offset = 0;
                total = response.Content.Headers.ContentLength;
                break;
            case HttpStatusCode.PartialContent:
                ContentRangeHeaderValue? range = response.Content.Headers.ContentRange;
                if (range?.From != start)
                {
                    return new(FirmwareTransferStatus.ProtocolError, $"asked for bytes from {start}, the server sent a range from {range?.From}");
                }

                offset = start;
                total = range.Length;
                break;
            case HttpStatusCode.RequestedRangeNotSatisfiable when start > 0:
                // Everything was stored already, only the end was never confirmed.
                return sink.Write(start, [], more: false) == FirmwareBlockStatus.Complete
                    ? FirmwareTransferOutcome.Completed
                    : new(FirmwareTransferStatus.StorageFailed, "the package could not be finished in storage");
            case HttpStatusCode.NotFound or HttpStatusCode.Gone:
                return new(FirmwareTransferStatus.NotFound, $"{uri} answered {(int)response.StatusCode}");
            default:
                return new((int)response.StatusCode >= 500 ? FirmwareTransferStatus.Interrupted : FirmwareTransferStatus.ProtocolError, $"{uri} answered {(int)response.StatusCode}");
        }

        if (total > sink.MaxPackageBytes)
        {
            return new(FirmwareTransferStatus.TooLarge, $"the package is {total} bytes, more than the {sink.MaxPackageBytes} allowed");
        }

        Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            byte[] buffer = new byte[16 * 1024];
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                FirmwareBlockStatus status = sink.Write(offset, buffer.AsSpan(0, read), more: true);
                offset += read;
                switch (status)
                {
                    case FirmwareBlockStatus.Stored:
                        progress(sink.Length, total);
                        break;
                    case FirmwareBlockStatus.Duplicate:
                        break;
                    case FirmwareBlockStatus.TooLarge:
                        return new(FirmwareTransferStatus.TooLarge, $"the package is larger than the {sink.MaxPackageBytes} bytes allowed");
                    default:
                        return new(FirmwareTransferStatus.StorageFailed, "the package could not be written to storage");
                }
            }
        }

        if (total is { } expected && sink.Length < expected)
        {
            return new(FirmwareTransferStatus.Interrupted, $"the body ended at {sink.Length} of {expected} bytes");
        }

        FirmwareBlockStatus last = sink.Write(sink.Length, [], more: false);
        if (last != FirmwareBlockStatus.Complete)
        {
            return new(FirmwareTransferStatus.StorageFailed, "the package could not be finished in storage");
        }

        progress(sink.Length, total ?? sink.Length);
        return FirmwareTransferOutcome.Completed;
    }

    private static bool IsCertificateFailure(HttpRequestException e)
    {
        for (Exception? inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException)
            {
                return true;
            }
        }

        return e.HttpRequestError == HttpRequestError.SecureConnectionError;
    }
}
