using Tern.Coap.Messages;

namespace Tern.Coap.Endpoint;

/// <summary>
/// A resource holding one value that clients can GET, observe and (unless <see cref="CoapResource.Put"/> says
/// otherwise) PUT. Every change through <see cref="SetAsync"/> or PUT notifies the observers.
/// </summary>
public sealed class ObservableCoapResource : CoapResource
{
    private readonly Lock _gate = new();
    private readonly List<CoapObserver> _observers = [];
    private ReadOnlyMemory<byte> _value;

    /// <summary>Creates the resource with an initial value.</summary>
    /// <param name="initial">The first value.</param>
    /// <param name="contentFormat">The Content-Format sent with the value, or null for none.</param>
    public ObservableCoapResource(ReadOnlyMemory<byte> initial, ushort? contentFormat = null)
    {
        _value = initial;
        ContentFormat = contentFormat;
    }

    /// <summary>The Content-Format of the value.</summary>
    public ushort? ContentFormat { get; }

    /// <summary>The current value.</summary>
    public ReadOnlyMemory<byte> Value
    {
        get
        {
            lock (_gate)
            {
                return _value;
            }
        }
    }

    /// <summary>How many observers are registered and active.</summary>
    public int ObserverCount
    {
        get
        {
            lock (_gate)
            {
                _observers.RemoveAll(o => !o.IsActive);
                return _observers.Count;
            }
        }
    }

    /// <summary>
    /// Changes the value and notifies every observer (NON unless <paramref name="confirmable"/>). Observers that
    /// fail (reset, timed out) are dropped; the others still get their notification.
    /// </summary>
    public async Task SetAsync(ReadOnlyMemory<byte> value, bool confirmable = false, CancellationToken cancellationToken = default)
    {
        CoapObserver[] observers;
        lock (_gate)
        {
            _value = value;
            _observers.RemoveAll(o => !o.IsActive);
            observers = [.. _observers];
        }

        Task[] sends = [.. observers.Select(o => NotifyOneAsync(o, value, confirmable, cancellationToken))];
        await Task.WhenAll(sends).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask<CoapResponse> HandleAsync(CoapRequestContext request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Request.Code == CoapCode.Get && Get is null)
        {
            if (request.IsObserveRegistration && request.AcceptObservation() is { } observer)
            {
                lock (_gate)
                {
                    _observers.RemoveAll(o => !o.IsActive || o.Id == observer.Id);
                    _observers.Add(observer);
                }
            }

            return Represent(Value);
        }

        if (request.Request.Code == CoapCode.Put && Put is null)
        {
            _ = SetAsync(request.Request.Payload.ToArray(), cancellationToken: CancellationToken.None);
            return new CoapResponse(CoapCode.Changed);
        }

        return await base.HandleAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private CoapResponse Represent(ReadOnlyMemory<byte> value) => new(CoapCode.Content, value) { ContentFormat = ContentFormat };

    private async Task NotifyOneAsync(CoapObserver observer, ReadOnlyMemory<byte> value, bool confirmable, CancellationToken cancellationToken)
    {
        try
        {
            await observer.NotifyAsync(Represent(value), confirmable, cancellationToken).ConfigureAwait(false);
        }
        catch (CoapException)
        {
            // The engine has removed the observer already.
        }
    }
}
