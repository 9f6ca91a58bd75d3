using Tern.Coap.Blockwise;
using Tern.Coap.Messages;

namespace Tern.Coap.Engine;

public sealed partial class CoapEngine
{
    /// <summary>Cuts a request body that does not fit one block into Block1 blocks (RFC 7959 §2.5).</summary>
    private void PrepareUpload(ClientExchange exchange)
    {
        CoapMessage message = exchange.Request;
        int szx = BlockExponentFor(message);
        if (message.Payload.Length <= BlockOption.SizeOf(szx) || message.HasOption(CoapOptionNumber.Block1))
        {
            return;
        }

        exchange.OriginalRequest = message;
        exchange.Upload = new Block1Sender(message.Payload, szx);
        CoapMessage first = Clone(message);
        exchange.Upload.ApplyTo(first);
        exchange.Request = first;
    }

    /// <summary>Sends the next Block1 block when the server asks for it; false when the response is the final answer.</summary>
    private bool ContinueUpload(ClientExchange exchange, CoapMessage response, DateTimeOffset now)
    {
        Block1Sender upload = exchange.Upload!;
        if (upload.IsDone)
        {
            return false;
        }

        switch (upload.OnResponse(response))
        {
            case Block1SendStatus.SendNext:
            case Block1SendStatus.Restarted:
                CoapMessage next = Clone(exchange.OriginalRequest!);
                next.Token = exchange.Request.Token;
                upload.ApplyTo(next);
                Resend(exchange, next, now);
                return true;
            default:
                // Completed: the response is the answer (it may start a Block2 download). Failed: the server's
                // refusal (4.08, 4.13, ...) is the answer the application gets.
                return false;
        }
    }

    private static bool HasMoreBlocks(CoapMessage response) =>
        response.Code.IsSuccess && response.TryGetBlock2(out BlockOption? block) == BlockOptionError.None && block is { More: true };

    /// <summary>
    /// A response or notification came with Block2 M=1: fetch the remaining blocks with a child exchange (its own
    /// token, so an observation keeps its token), then deliver the reassembled body to <paramref name="owner"/>.
    /// </summary>
    private void StartBlockFetch(ClientExchange owner, CoapMessage firstBlock, bool forNotification, DateTimeOffset now)
    {
        var download = new Block2Assembler(_options.MaxBodySize, _options.PreferredBlockSizeExponent);
        Block2AssemblyStatus status = download.Append(firstBlock);
        if (status != Block2AssemblyStatus.NeedMore)
        {
            FetchFailed(owner, forNotification, status, now);
            return;
        }

        CoapMessage next = Clone(owner.OriginalRequest ?? owner.Request);
        next.Observe = null;
        next.Token = default;
        if (next.Code != CoapCode.Fetch || owner.Upload is not null)
        {
            // A FETCH body selects the representation, so each block request repeats it (RFC 8132) when it fit one block.
            next.Payload = default;
        }

        next.RemoveOption(CoapOptionNumber.Block1);
        next.RemoveOption(CoapOptionNumber.Size1);
        next.SetBlock2(download.NextBlock);
        if (_clients.Count >= _options.MaxPendingExchanges)
        {
            FetchFailed(owner, forNotification, Block2AssemblyStatus.Finished, now);
            return;
        }

        var child = new ClientExchange
        {
            Id = NextId(),
            Peer = owner.Peer,
            Request = next,
            Parent = owner,
            Download = download,
            FirstBlock = firstBlock,
            DeliversNotification = forNotification,
        };
        next.Token = NewToken(owner.Peer);
        child.TokenKey = TokenKey.From(owner.Peer, next.Token.Span);
        _byToken[child.TokenKey] = child;
        _clients[child.Id] = child;
        owner.Child = child;
        if (!forNotification)
        {
            owner.State = ClientState.AwaitingBlocks;
        }

        Enqueue(child, now);
    }

    private void OnFetchedBlock(ClientExchange child, ClientExchange parent, CoapMessage response, DateTimeOffset now)
    {
        Block2AssemblyStatus status = response.Code.IsSuccess ? child.Download!.Append(response) : Block2AssemblyStatus.Malformed;
        if (status == Block2AssemblyStatus.NeedMore)
        {
            CoapMessage next = Clone(child.Request);
            next.SetBlock2(child.Download!.NextBlock);
            Resend(child, next, now);
            return;
        }

        Complete(child, now);
        if (ReferenceEquals(parent.Child, child))
        {
            parent.Child = null;
        }

        if (status != Block2AssemblyStatus.Complete)
        {
            FetchFailed(parent, child.DeliversNotification, status, now);
            return;
        }

        CoapMessage whole = Clone(child.FirstBlock!);
        whole.Payload = child.Download!.Body.ToArray();
        whole.RemoveOption(CoapOptionNumber.Block2);
        whole.RemoveOption(CoapOptionNumber.Size2);
        if (!child.DeliversNotification)
        {
            if (parent.State == ClientState.AwaitingBlocks)
            {
                Deliver(parent, whole, now);
            }
        }
        else if (parent.State == ClientState.Observing)
        {
            Raise(new CoapNotificationReceived(parent.Id, parent.Peer, whole, IsLast: false));
        }
    }

    private void FetchFailed(ClientExchange owner, bool forNotification, Block2AssemblyStatus status, DateTimeOffset now)
    {
        if (forNotification)
        {
            // The observation goes on; this notification is lost, a later one will bring the state.
            Reject(owner.Peer, CoapRejectReason.IncompleteBlockwiseNotification);
            return;
        }

        if (owner.State is ClientState.Done)
        {
            return;
        }

        CoapErrorKind kind = status == Block2AssemblyStatus.TooLarge ? CoapErrorKind.TooLarge
            : status == Block2AssemblyStatus.Finished ? CoapErrorKind.CapacityExceeded
            : CoapErrorKind.ProtocolError;
        Fail(owner, kind, $"The block-wise response could not be reassembled ({status}).", now);
    }

    /// <summary>Sends the next message of a multi-message exchange: new message ID, same token, NSTART respected.</summary>
    private void Resend(ClientExchange exchange, CoapMessage next, DateTimeOffset now)
    {
        next.MessageId = 0;
        exchange.Request = next;
        Enqueue(exchange, now);
    }
}
