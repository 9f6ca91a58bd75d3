using System.Runtime.CompilerServices;
using Tern.Coap.Blockwise;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Formats;

namespace Tern.Lwm2m.Client.Firmware;

/// <summary>
/// A package pushed to /5/0/0, streamed: with <see cref="IsPackageBlock"/> as the device endpoint's
/// <c>CoapEngineOptions.PassBlock1Through</c>, every Block1 block of a Write of /5/0/0 reaches the client as it
/// arrives and goes straight into the firmware update's storage, so the image is never held whole in memory and is
/// not bounded by the endpoint's <c>MaxBodySize</c>.
/// <code>
///   SERVER                                            CLIENT (object 5)
///     | PUT /5/0/0 ct=42 1:0/1/1024 Size1=N   ------&gt; |  Idle -&gt; Downloading, block 0 stored
///     | &lt;------              2.31 Continue 1:0/1/1024   |
///     | PUT /5/0/0 ct=42 1:1/1/1024           ------&gt; |  stored at 1024
///     | &lt;------              2.31 Continue 1:1/1/1024   |
///     |   ...                                          |
///     | PUT /5/0/0 ct=42 1:k/0/1024           ------&gt; |  last block: flushed, verified in the background
///     | &lt;------                2.04 Changed 1:k/0/1024  |  Downloading -&gt; Downloaded (or Idle with 5/6)
/// </code>
/// A block whose predecessors are missing gets 4.08 (RFC 7959 §2.9.2), one the client already has is acknowledged
/// again, a new block 0 starts the download over, a Size1 above <see cref="FirmwareUpdateOptions.MaxPackageBytes"/>
/// gets 4.13 with Size1 set to the limit (Update Result 2), and a block that is not the last but shorter than its
/// size gets 4.00.
/// </summary>
public static partial class Lwm2mFirmwareObject
{
    /// <summary>Which firmware update serves /5/0/0 of a store, for the client's routing of pass-through blocks.</summary>
    private static readonly ConditionalWeakTable<Lwm2mObjectStore, FirmwareUpdate> PushTargets = [];

    /// <summary>
    /// True for a Write of a package to /5/0/0: PUT or POST, Content-Format application/octet-stream (42), Uri-Path
    /// exactly 5/0/0. Set it as the device endpoint's <c>CoapEngineOptions.PassBlock1Through</c>; every other
    /// block-wise request stays reassembled by the endpoint.
    /// </summary>
    /// <param name="request">An incoming request carrying Block1.</param>
    public static bool IsPackageBlock(CoapMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((request.Code != CoapCode.Put && request.Code != CoapCode.Post) || request.ContentFormat != Lwm2mContentFormat.Opaque)
        {
            return false;
        }

        int segment = 0;
        foreach (CoapOption option in request.GetOptions(CoapOptionNumber.UriPath))
        {
            ReadOnlySpan<byte> value = option.Value.Span;
            bool expected = segment switch
            {
                0 => value.SequenceEqual("5"u8),
                1 or 2 => value.SequenceEqual("0"u8),
                _ => false,
            };
            if (!expected)
            {
                return false;
            }

            segment++;
        }

        return segment == 3;
    }

    /// <summary>
    /// Stores one Block1 block of a package Write (a request <see cref="IsPackageBlock"/> accepts) and gives the answer
    /// for it: 2.31 Continue echoing Block1 while more follow, 2.04 echoing it on the last, or the refusal (4.00, 4.05,
    /// 4.08, 4.13 with Size1, 5.00). A request without Block1 is the whole package in one block.
    /// </summary>
    /// <param name="firmware">Object 5.</param>
    /// <param name="request">The Write request, Block1 and Size1 as they came.</param>
    public static CoapResponse WritePackageBlock(this FirmwareUpdate firmware, CoapMessage request)
    {
        ArgumentNullException.ThrowIfNull(firmware);
        ArgumentNullException.ThrowIfNull(request);
        if (request.TryGetBlock1(out BlockOption? parsed) != BlockOptionError.None)
        {
            return new CoapResponse(CoapCode.BadOption);
        }

        ReadOnlySpan<byte> payload = request.Payload.Span;
        if (parsed is not { } block)
        {
            return new CoapResponse(firmware.WritePackageBlock(0, payload, more: false).ToCoapCode());
        }

        if (payload.Length > block.Size || (block.More && payload.Length != block.Size))
        {
            // Every block but the last fills its size exactly (RFC 7959 §2.2).
            return new CoapResponse(CoapCode.BadRequest, "A Block1 block that is not the last must be exactly its size."u8.ToArray());
        }

        FirmwareOperationStatus status = firmware.WritePackageBlock(block.Offset, payload, block.More, request.GetSize1());
        var answer = new CoapMessage { Code = status.ToCoapCode() };
        switch (status)
        {
            case FirmwareOperationStatus.Continue:
            case FirmwareOperationStatus.Changed:
                answer.SetBlock1(block);
                break;
            case FirmwareOperationStatus.TooLarge:
                answer.SetSize1((uint)Math.Min(firmware.MaxPackageBytes, uint.MaxValue));
                break;
        }

        return new CoapResponse(answer);
    }

    /// <summary>
    /// The CoAP settings a device endpoint serving <paramref name="store"/> should run with: when the store serves object 5
    /// through <see cref="AddFirmwareUpdate"/> and <paramref name="options"/> set no Block1 filter of their own,
    /// <paramref name="options"/> (or the defaults) with <see cref="IsPackageBlock"/> as <c>PassBlock1Through</c>, so
    /// pushed packages stream to storage; otherwise <paramref name="options"/> as they are.
    /// </summary>
    /// <param name="store">The data model the endpoint serves; null serves nothing.</param>
    /// <param name="options">The application's endpoint settings; null for the defaults.</param>
    public static CoapEndpointOptions? WithPackageStreaming(Lwm2mObjectStore? store, CoapEndpointOptions? options)
    {
        if (store is null || !PushTargets.TryGetValue(store, out _) || options?.Engine.PassBlock1Through is not null)
        {
            return options;
        }

        CoapEndpointOptions chosen = options ?? new CoapEndpointOptions();
        return chosen.WithEngine(chosen.Engine.WithPassBlock1Through(IsPackageBlock));
    }

    /// <summary>
    /// For the client's inbound path: when <paramref name="request"/> is one passed-through Block1 block of a package
    /// Write and <paramref name="store"/> serves object 5 through <see cref="AddFirmwareUpdate"/>, stores it and returns
    /// the answer; otherwise null (the dispatcher handles the request).
    /// </summary>
    internal static CoapResponse? TryWritePackageBlock(Lwm2mObjectStore store, CoapMessage request) =>
        request.HasOption(CoapOptionNumber.Block1) && IsPackageBlock(request) && PushTargets.TryGetValue(store, out FirmwareUpdate? firmware)
            ? firmware.WritePackageBlock(request)
            : null;
}
