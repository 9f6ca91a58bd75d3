namespace Tern.Coap.Transport.Virtual;

/// <summary>
/// One endpoint on a <see cref="VirtualNetwork"/>. Behaves like an unconnected UDP socket: sends never block,
/// received datagrams wait in a bounded queue, one receive loop reads them.
/// </summary>
public sealed class VirtualCoapTransport : ICoapTransport
{
    private readonly VirtualNetwork _network;
    private readonly Queue<VirtualDatagram> _inbox = new();
    private readonly int _queueCapacity;
    private TaskCompletionSource<VirtualDatagram>? _waiter;
    private bool _processing;
    private bool _disposed;

    internal VirtualCoapTransport(VirtualNetwork network, CoapPeer localEndPoint, int maxDatagramSize, int queueCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDatagramSize, 1);
        _network = network;
        _queueCapacity = queueCapacity;
        LocalEndPoint = localEndPoint;
        MaxDatagramSize = maxDatagramSize;
    }

    /// <inheritdoc />
    public CoapPeer LocalEndPoint { get; }

    /// <inheritdoc />
    public int MaxDatagramSize { get; }

    /// <summary>The network this transport is attached to.</summary>
    public VirtualNetwork Network => _network;

    /// <summary>Datagrams delivered and waiting for a receive.</summary>
    public int QueuedCount
    {
        get
        {
            lock (_network.Gate)
            {
                return _inbox.Count;
            }
        }
    }

    /// <summary>
    /// True from the moment a datagram is handed to this transport's reader until it asks for the next one: the
    /// reader is still working on it. <see cref="VirtualNetwork.SettleAsync"/> waits for this to clear.
    /// </summary>
    public bool IsProcessing
    {
        get
        {
            lock (_network.Gate)
            {
                return _processing;
            }
        }
    }

    internal bool IsProcessingUnlocked => _processing;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The datagram is longer than <see cref="MaxDatagramSize"/>.</exception>
    public ValueTask SendAsync(CoapPeer peer, ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (datagram.Length > MaxDatagramSize)
        {
            throw new ArgumentException(
                $"The datagram is {datagram.Length} bytes; this transport sends at most {MaxDatagramSize}.", nameof(datagram));
        }

        lock (_network.Gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
        }

        _network.Route(LocalEndPoint, peer, datagram.Span);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>One call at a time. Calling it again tells the network the previous datagram has been dealt with.</remarks>
    /// <exception cref="InvalidOperationException">Another receive is already pending.</exception>
    public ValueTask<CoapDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TaskCompletionSource<VirtualDatagram> waiter;
        lock (_network.Gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_waiter is not null)
            {
                throw new InvalidOperationException("A receive is already pending on this transport; run one receive loop per transport.");
            }

            _network.NoteActivity();
            if (_inbox.TryDequeue(out VirtualDatagram? ready))
            {
                return ValueTask.FromResult(CopyOut(ready, buffer));
            }

            SetProcessing(false);
            waiter = new TaskCompletionSource<VirtualDatagram>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiter = waiter;
        }

        return AwaitDatagramAsync(waiter, buffer, cancellationToken);
    }

    /// <summary>Leaves the network: later datagrams to this address are unreachable, a pending receive ends with <see cref="ObjectDisposedException"/>.</summary>
    public ValueTask DisposeAsync()
    {
        TaskCompletionSource<VirtualDatagram>? waiter;
        lock (_network.Gate)
        {
            if (_disposed)
            {
                return ValueTask.CompletedTask;
            }

            _disposed = true;
            waiter = _waiter;
            _waiter = null;
            _inbox.Clear();
            SetProcessing(false);
        }

        _network.Detach(this);
        waiter?.TrySetException(new ObjectDisposedException(nameof(VirtualCoapTransport)));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override string ToString() => $"virtual://{LocalEndPoint}";

    /// <summary>Takes a datagram off the network; called under the network's lock.</summary>
    internal VirtualDatagramFate Enqueue(VirtualDatagram datagram)
    {
        if (_disposed)
        {
            return VirtualDatagramFate.Unreachable;
        }

        if (_waiter is { } waiter)
        {
            _waiter = null;
            SetProcessing(true);
            waiter.TrySetResult(datagram);
            return VirtualDatagramFate.Delivered;
        }

        if (_inbox.Count >= _queueCapacity)
        {
            return VirtualDatagramFate.Overflowed;
        }

        _inbox.Enqueue(datagram);
        return VirtualDatagramFate.Delivered;
    }

    private CoapDatagram CopyOut(VirtualDatagram datagram, Memory<byte> buffer)
    {
        SetProcessing(true);
        ReadOnlySpan<byte> bytes = datagram.Bytes.Span;
        int copied = Math.Min(bytes.Length, buffer.Length);
        bytes[..copied].CopyTo(buffer.Span);
        return new CoapDatagram(datagram.From, copied, Truncated: bytes.Length > buffer.Length);
    }

    private async ValueTask<CoapDatagram> AwaitDatagramAsync(
        TaskCompletionSource<VirtualDatagram> waiter, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        VirtualDatagram datagram;
        using (cancellationToken.Register(() => Abandon(waiter, cancellationToken)))
        {
            datagram = await waiter.Task.ConfigureAwait(false);
        }

        ReadOnlySpan<byte> bytes = datagram.Bytes.Span;
        int copied = Math.Min(bytes.Length, buffer.Length);
        bytes[..copied].CopyTo(buffer.Span);
        return new CoapDatagram(datagram.From, copied, Truncated: bytes.Length > buffer.Length);
    }

    private void Abandon(TaskCompletionSource<VirtualDatagram> waiter, CancellationToken cancellationToken)
    {
        lock (_network.Gate)
        {
            if (_waiter != waiter)
            {
                return;
            }

            _waiter = null;
        }

        waiter.TrySetCanceled(cancellationToken);
    }

    private void SetProcessing(bool processing)
    {
        if (_processing != processing)
        {
            _processing = processing;
            _network.OnProcessingChanged(processing);
        }
    }
}
