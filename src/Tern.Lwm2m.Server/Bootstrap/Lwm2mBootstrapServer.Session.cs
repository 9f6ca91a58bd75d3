using System.Buffers;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Transport;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Formats.LinkFormat;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Server.Bootstrap;

/// <summary>One bootstrap session: Discover, Read, Delete, Write, Finish, in that order.</summary>
public sealed partial class Lwm2mBootstrapServer
{
    private async Task RunSessionAsync(string endpoint, CoapPeer peer, BootstrapConfiguration configuration, ushort? preferred)
    {
        var steps = new List<BootstrapStep>();
        IReadOnlyList<CoreLink> discovered = [];
        var read = new Dictionary<Lwm2mPath, Lwm2mNode>();
        string? failure = null;
        try
        {
            if (configuration.Discover)
            {
                discovered = await DiscoverAsync(peer, configuration.DiscoverPath, steps).ConfigureAwait(false);
            }

            if (!IsLwm2m10(discovered))
            {
                await ReadAsync(peer, configuration, preferred, steps, read).ConfigureAwait(false);
            }

            foreach (Lwm2mPath path in configuration.Deletes)
            {
                CoapResponse? answer = await StepAsync(peer, "Delete", path, Request(CoapCode.Delete, path), steps).ConfigureAwait(false);
                failure ??= answer is { IsSuccess: true } ? null : Failed("Delete", path, answer);
                if (failure is not null)
                {
                    break;
                }
            }

            ushort format = configuration.ContentFormat ?? preferred ?? Lwm2mContentFormat.Tlv;
            foreach (BootstrapWrite write in failure is null ? configuration.Writes : [])
            {
                CoapResponse? answer = await StepAsync(peer, "Write", write.Path, WriteRequest(write, format), steps).ConfigureAwait(false);
                if (answer?.Code == CoapCode.UnsupportedContentFormat && configuration.ContentFormat is null && format != Lwm2mContentFormat.SenmlCbor)
                {
                    format = Lwm2mContentFormat.SenmlCbor;
                    answer = await StepAsync(peer, "Write", write.Path, WriteRequest(write, format), steps).ConfigureAwait(false);
                }

                failure = answer is { IsSuccess: true } ? null : Failed("Write", write.Path, answer);
                if (failure is not null)
                {
                    break;
                }
            }

            if (failure is null)
            {
                CoapMessage finish = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Post }.SetUriPath("/bs");
                CoapResponse? answer = await StepAsync(peer, "Finish", Lwm2mPath.Root, finish, steps).ConfigureAwait(false);
                failure = answer is { IsSuccess: true } ? null : Failed("Finish", Lwm2mPath.Root, answer);
            }
        }
        catch (ArgumentException ex)
        {
            failure = $"The configuration cannot be encoded: {ex.Message}";
        }
        catch (OperationCanceledException)
        {
            failure = "The bootstrap server stopped.";
        }
        finally
        {
            Log.SessionEnded(_logger, endpoint, failure is null, failure);
            if (SessionEnded is { } handler)
            {
                try
                {
                    handler(this, new BootstrapSessionEventArgs(endpoint, failure is null, steps, failure, discovered) { Read = read });
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    Log.EventHandlerFailed(_logger, endpoint, ex);
                }
            }

            Interlocked.Decrement(ref _sessions);
        }
    }

    /// <summary>Bootstrap-Discover (GET with Accept: link format); the links, or none when it was refused or did not parse.</summary>
    private async Task<IReadOnlyList<CoreLink>> DiscoverAsync(CoapPeer peer, Lwm2mPath path, List<BootstrapStep> steps)
    {
        CoapMessage discover = Request(CoapCode.Get, path);
        discover.AddOption(CoapOption.FromUInt(CoapOptionNumber.Accept, Lwm2mContentFormat.LinkFormat));
        CoapResponse? answer = await StepAsync(peer, "Discover", path, discover, steps).ConfigureAwait(false);
        return answer is { IsSuccess: true } && CoreLinkFormat.Parse(answer.Payload.Span) is { IsSuccess: true } links ? links.Value! : [];
    }

    /// <summary>A Bootstrap-Discover answer carries the client's version on its "/" link; LwM2M 1.0 has no Bootstrap-Read.</summary>
    private static bool IsLwm2m10(IReadOnlyList<CoreLink> discovered) =>
        discovered.FirstOrDefault(l => l.Target == "/")?["lwm2m"] == "1.0";

    /// <summary>
    /// Bootstrap-Read of each configured path (GET with Accept), in the configured or preferred format, else TLV, asked
    /// again once in SenML CBOR on 4.06. What decodes is kept; a refusal is only recorded as a step.
    /// </summary>
    private async Task ReadAsync(CoapPeer peer, BootstrapConfiguration configuration, ushort? preferred, List<BootstrapStep> steps, Dictionary<Lwm2mPath, Lwm2mNode> read)
    {
        ushort format = configuration.ContentFormat ?? preferred ?? Lwm2mContentFormat.Tlv;
        foreach (Lwm2mPath path in configuration.Reads)
        {
            CoapResponse? answer = await StepAsync(peer, "Read", path, ReadRequest(path, format), steps).ConfigureAwait(false);
            if (answer?.Code == CoapCode.NotAcceptable && configuration.ContentFormat is null && format != Lwm2mContentFormat.SenmlCbor)
            {
                format = Lwm2mContentFormat.SenmlCbor;
                answer = await StepAsync(peer, "Read", path, ReadRequest(path, format), steps).ConfigureAwait(false);
            }

            if (answer is { IsSuccess: true } && _formats.TryGet(answer.ContentFormat ?? format, out ILwm2mContentCodec? codec)
                && codec.DecodeNode(answer.Payload.Span, path, _objects) is { IsSuccess: true } decoded)
            {
                read[path] = decoded.Value!;
            }
        }
    }

    private async Task<CoapResponse?> StepAsync(CoapPeer peer, string operation, Lwm2mPath path, CoapMessage request, List<BootstrapStep> steps)
    {
        using var timer = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, _stopping.Token);
        CoapResponse? answer = null;
        try
        {
            answer = await _endpoint.SendAsync(peer, request, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
        {
            // No answer in time: recorded as a step without a code.
        }
        catch (CoapException)
        {
            // Reset or network failure: likewise.
        }

        steps.Add(new BootstrapStep(operation, path.ToString(), answer?.Code));
        return answer;
    }

    /// <summary>Why a step failed, with the client's diagnostic payload when it gave one (e.g. why Bootstrap-Finish got 4.06).</summary>
    private static string Failed(string operation, Lwm2mPath path, CoapResponse? answer) =>
        answer is null ? $"{operation} {path} got no answer."
        : answer.Payload.IsEmpty ? $"{operation} {path} was answered {answer.Code}."
        : $"{operation} {path} was answered {answer.Code}: {Printable(answer.PayloadText)}";

    /// <summary>At most 200 characters of a client's diagnostic, control characters replaced, so it is safe to log and show.</summary>
    private static string Printable(string text)
    {
        string shortened = text.Length > 200 ? text[..200] + "..." : text;
        return string.Create(shortened.Length, shortened, static (span, source) =>
        {
            for (int i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? ' ' : source[i];
            }
        });
    }

    private static CoapMessage Request(CoapCode code, Lwm2mPath path) =>
        new CoapMessage { Type = CoapMessageType.Confirmable, Code = code }.SetUriPath(path.ToString());

    private static CoapMessage ReadRequest(Lwm2mPath path, ushort format)
    {
        CoapMessage request = Request(CoapCode.Get, path);
        request.AddOption(CoapOption.FromUInt(CoapOptionNumber.Accept, format));
        return request;
    }

    private CoapMessage WriteRequest(BootstrapWrite write, ushort format)
    {
        if (!_formats.TryGet(format, out ILwm2mContentCodec? codec))
        {
            throw new ArgumentException($"Content format {format} is not known.", nameof(format));
        }

        var buffer = new ArrayBufferWriter<byte>();
        if (codec.EncodeNode(write.Path, write.Node, buffer) is { } error)
        {
            throw new ArgumentException($"{write.Path} in {codec.Name}: {error.Message}", nameof(write));
        }

        CoapMessage request = Request(CoapCode.Put, write.Path);
        request.ContentFormat = format;
        request.Payload = buffer.WrittenMemory.ToArray();
        return request;
    }
}
