using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.DataModel.Objects;

/// <summary>
/// The Connectivity Statistics object (7), instance 0. The application reports traffic with <see cref="RecordSent"/>
/// and <see cref="RecordReceived"/>; counters move only between a server's Start (/7/0/6, which also resets them)
/// and Stop (/7/0/7).
/// </summary>
public sealed class Lwm2mConnectivityStatistics : Lwm2mInstanceView, ILwm2mObjectHandler
{
    private readonly Lock _gate = new();
    private long _sentBytes, _receivedBytes, _messages, _totalBytes, _largest;

    /// <summary>Declares /7/0 in <paramref name="store"/> and handles Start and Stop.</summary>
    public Lwm2mConnectivityStatistics(Lwm2mObjectStore store)
        : base(store, 7, 0)
    {
        store.SetHandler(7, this);
    }

    /// <summary>Whether a Start is in effect.</summary>
    public bool IsCollecting { get; private set; }

    /// <summary>/7/0/2, kilobytes sent since Start.</summary>
    public long? TxDataKilobytes => GetInteger(2);

    /// <summary>/7/0/3, kilobytes received since Start.</summary>
    public long? RxDataKilobytes => GetInteger(3);

    /// <summary>/7/0/8, seconds (0 means collect until Stop).</summary>
    public long? CollectionPeriod { get => GetInteger(8); set => SetInteger(8, value); }

    /// <summary>Counts <paramref name="bytes"/> sent in one message (ignored while not collecting).</summary>
    public void RecordSent(int bytes) => Record(bytes, sent: true);

    /// <summary>Counts <paramref name="bytes"/> received in one message (ignored while not collecting).</summary>
    public void RecordReceived(int bytes) => Record(bytes, sent: false);

    private void Record(int bytes, bool sent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        lock (_gate)
        {
            if (!IsCollecting)
            {
                return;
            }

            if (sent)
            {
                _sentBytes += bytes;
            }
            else
            {
                _receivedBytes += bytes;
            }

            _messages++;
            _totalBytes += bytes;
            _largest = Math.Max(_largest, bytes);
            Publish();
        }
    }

    private void Publish()
    {
        using (Store.Lock())
        {
            SetInteger(2, _sentBytes / 1024);
            SetInteger(3, _receivedBytes / 1024);
            SetInteger(4, _largest);
            SetInteger(5, _messages == 0 ? 0 : _totalBytes / _messages);
        }
    }

    Lwm2mStatus ILwm2mObjectHandler.OnExecute(Lwm2mPath resourcePath, Lwm2mExecuteArguments arguments)
    {
        lock (_gate)
        {
            switch (resourcePath.ResourceId)
            {
                case 6:
                    _sentBytes = _receivedBytes = _messages = _totalBytes = _largest = 0;
                    IsCollecting = true;
                    Publish();
                    return Lwm2mStatus.Ok;
                case 7:
                    IsCollecting = false;
                    return Lwm2mStatus.Ok;
                default:
                    return Lwm2mStatus.MethodNotAllowed;
            }
        }
    }
}
