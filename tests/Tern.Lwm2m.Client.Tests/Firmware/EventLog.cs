using System.Collections.Concurrent;
using Tern.Lwm2m.Client.Engine;

namespace Tern.Lwm2m.Client.Tests.Firmware;

/// <summary>Collects the events object 5 raises, from any thread.</summary>
internal sealed class EventLog
{
    private readonly ConcurrentQueue<Lwm2mClientEvent> _events = new();

    public void Add(Lwm2mClientEvent e) => _events.Enqueue(e);

    public IReadOnlyList<Lwm2mClientEvent> All => [.. _events];

    public IReadOnlyList<T> Of<T>() => [.. _events.OfType<T>()];

    /// <summary>The event types in order, progress left out, for comparing with a chart.</summary>
    public IReadOnlyList<string> Flow => [.. _events.Where(e => e is not Tern.Lwm2m.Client.Firmware.FirmwareDownloadProgress).Select(e => e.GetType().Name)];
}
