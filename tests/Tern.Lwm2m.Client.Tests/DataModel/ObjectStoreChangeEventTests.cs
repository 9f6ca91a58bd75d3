using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Model;
using static Tern.Lwm2m.Client.Tests.DataModel.TestModel;

namespace Tern.Lwm2m.Client.Tests.DataModel;

/// <summary>The paths a ValuesChanged event carries: ascending and each once, however the changes were made.</summary>
public class ObjectStoreChangeEventTests
{
    [Fact]
    public void Changes_under_one_lock_arrive_sorted_and_each_path_once()
    {
        Lwm2mObjectStore store = CreateStore();
        var events = new List<IReadOnlyList<Lwm2mPath>>();
        store.ValuesChanged += (_, e) => events.Add(e.Paths);

        using (store.Lock())
        {
            store.SetValue(P("/9999/1/1"), 1L);
            store.SetValue(P("/9999/0/1"), 2L);
            store.SetValue(P("/9999/1/1"), 3L);
            store.SetValue(P("/9999/0/7/0"), 4L);
            store.SetValue(P("/9999/0/1"), 5L);
            store.SetValue(P("/9999/0/1"), 6L);
        }

        IReadOnlyList<Lwm2mPath> paths = Assert.Single(events);
        Assert.Equal([P("/9999/0/1"), P("/9999/0/7/0"), P("/9999/1/1")], paths);
    }

    [Fact]
    public void A_single_change_raises_its_own_event_with_its_path()
    {
        Lwm2mObjectStore store = CreateStore();
        var events = new List<IReadOnlyList<Lwm2mPath>>();
        store.ValuesChanged += (_, e) => events.Add(e.Paths);

        store.SetValue(P("/9999/0/1"), 7L);
        store.SetValue(P("/9999/0/1"), 7L); // unchanged: no event
        store.SetValue(P("/9999/1/1"), 8L);

        Assert.Equal([[P("/9999/0/1")], [P("/9999/1/1")]], events);
    }
}
