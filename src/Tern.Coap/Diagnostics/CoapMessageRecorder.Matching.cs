using Tern.Coap.Messages;
using Tern.Coap.Transport;

namespace Tern.Coap.Diagnostics;

public sealed partial class CoapMessageRecorder
{
    // Message IDs seen per direction, endpoint pair and type, to mark retransmissions; oldest forgotten first.
    private readonly Dictionary<RepeatKey, DateTimeOffset> _seen = [];
    private readonly Queue<(RepeatKey Key, DateTimeOffset At)> _seenOrder = new();

    // Requests by the token their responses will carry, to name responses and tell notifications apart.
    private readonly Dictionary<TokenKey, RequestRecord> _requests = [];
    private readonly Queue<(TokenKey Key, RequestRecord Record)> _requestOrder = new();

    /// <summary>Marks repeats and finds the request a response answers; called under the lock.</summary>
    private Matching Match(CoapTraceKind kind, CoapPeer local, CoapPeer remote, CoapMessage message, DateTimeOffset now)
    {
        bool repeat = NoteMessageId(new RepeatKey(kind, local, remote, message.Type, message.MessageId), now);
        if (message.Code.IsRequest)
        {
            var key = new TokenKey(kind, local, remote, TokenValue(message.Token.Span), message.Token.Length);
            if (!repeat || !_requests.ContainsKey(key))
            {
                var record = new RequestRecord(message);
                _requests[key] = record;
                _requestOrder.Enqueue((key, record));
                TrimRequests();
            }

            return new Matching(repeat, null, false);
        }

        if (!message.Code.IsResponse)
        {
            return new Matching(repeat, null, false);
        }

        bool observing = message.Observe is not null && message.Type is CoapMessageType.Confirmable or CoapMessageType.NonConfirmable;
        CoapTraceKind requestKind = kind == CoapTraceKind.Sent ? CoapTraceKind.Received : CoapTraceKind.Sent;
        if (!_requests.TryGetValue(new TokenKey(requestKind, local, remote, TokenValue(message.Token.Span), message.Token.Length), out RequestRecord? request))
        {
            return new Matching(repeat, null, observing);
        }

        if (request.FirstAnswer is null)
        {
            request.FirstAnswer = (message.Type, message.MessageId);
            return new Matching(repeat, request.Message, false);
        }

        bool isFirstAgain = request.FirstAnswer == (message.Type, message.MessageId);
        return new Matching(repeat, request.Message, observing && !isFirstAgain);
    }

    private bool NoteMessageId(RepeatKey key, DateTimeOffset now)
    {
        if (_seen.TryGetValue(key, out DateTimeOffset first) && now - first <= Options.RepeatWindow)
        {
            return true;
        }

        _seen[key] = now;
        _seenOrder.Enqueue((key, now));
        while (_seenOrder.Count > Options.MatchingCapacity)
        {
            (RepeatKey oldKey, DateTimeOffset at) = _seenOrder.Dequeue();
            if (_seen.TryGetValue(oldKey, out DateTimeOffset current) && current == at)
            {
                _seen.Remove(oldKey);
            }
        }

        return false;
    }

    private void TrimRequests()
    {
        while (_requestOrder.Count > Options.MatchingCapacity)
        {
            (TokenKey oldKey, RequestRecord record) = _requestOrder.Dequeue();
            if (_requests.TryGetValue(oldKey, out RequestRecord? current) && current == record)
            {
                _requests.Remove(oldKey);
            }
        }
    }

    private void ClearMatching()
    {
        _seen.Clear();
        _seenOrder.Clear();
        _requests.Clear();
        _requestOrder.Clear();
    }

    // Tokens are at most 8 bytes on the wire; a longer one (never decoded) would only merge keys, not fail.
    private static ulong TokenValue(ReadOnlySpan<byte> token)
    {
        ulong value = 0;
        foreach (byte b in token)
        {
            value = (value << 8) | b;
        }

        return value;
    }

    private readonly record struct RepeatKey(CoapTraceKind Kind, CoapPeer Local, CoapPeer Remote, CoapMessageType Type, ushort MessageId);

    private readonly record struct TokenKey(CoapTraceKind RequestKind, CoapPeer Local, CoapPeer Remote, ulong Token, int TokenLength);

    private readonly record struct Matching(bool IsRetransmission, CoapMessage? Request, bool IsNotification);

    private sealed class RequestRecord(CoapMessage message)
    {
        public CoapMessage Message { get; } = message;

        public (CoapMessageType Type, ushort MessageId)? FirstAnswer { get; set; }
    }
}
