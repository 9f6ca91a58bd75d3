using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Model;
using static Tern.Lwm2m.Client.Tests.DataModel.TestModel;

namespace Tern.Lwm2m.Client.Tests.DataModel;

public class ObjectStoreTests
{
    [Fact]
    public void Setting_a_value_raises_one_change_and_setting_it_again_raises_none()
    {
        Lwm2mObjectStore store = CreateStore();
        var events = new List<IReadOnlyList<Lwm2mPath>>();
        store.ValuesChanged += (_, e) => events.Add(e.Paths);

        store.SetValue(P("/9999/0/1"), 43);
        store.SetValue(P("/9999/0/1"), 43);

        Assert.Equal([P("/9999/0/1")], Assert.Single(events));
        Assert.Equal(43, store.GetValue(P("/9999/0/1")).AsInteger());
    }

    [Fact]
    public void Changes_under_the_registry_lock_raise_one_event_when_the_outermost_lock_is_released()
    {
        Lwm2mObjectStore store = CreateStore();
        var events = new List<IReadOnlyList<Lwm2mPath>>();
        store.ValuesChanged += (_, e) => events.Add(e.Paths);

        using (store.Lock())
        {
            store.SetValue(P("/9999/0/2"), 2.5);
            using (store.Lock())
            {
                store.SetValue(P("/9999/0/0"), "x");
            }

            Assert.Empty(events);
            store.SetValue(P("/9999/1/1"), 3);
            store.SetValue(P("/9999/0/7/4"), Lwm2mValue.FromInteger(44));
        }

        Assert.Equal(["/9999/0/0", "/9999/0/2", "/9999/0/7/4", "/9999/1/1"], Assert.Single(events).Select(p => p.ToString()));
    }

    [Fact]
    public async Task A_request_never_sees_a_state_between_the_changes_of_one_registry_lock()
    {
        Lwm2mObjectStore store = CreateStore();
        var dispatcher = new Lwm2mRequestDispatcher(store);
        using var done = new CancellationTokenSource();

        // The application passes through a negative value inside each lock; a reader must only ever see the positive ones.
        Task writer = Task.Run(() =>
        {
            for (int k = 1; k <= 2000; k++)
            {
                using (store.Lock())
                {
                    store.SetValue(P("/9999/0/1"), -k);
                    store.SetValue(P("/9999/0/1"), k);
                }
            }

            done.Cancel();
        });
        var seen = new List<long>();
        while (!done.IsCancellationRequested)
        {
            Tern.Coap.Endpoint.CoapResponse response = dispatcher.Handle(Request(Tern.Coap.Messages.CoapCode.Get, "/9999/0/1", accept: 0), 101);
            seen.Add(long.Parse(response.PayloadText, System.Globalization.CultureInfo.InvariantCulture));
        }

        await writer;
        Assert.NotEmpty(seen);
        Assert.All(seen, v => Assert.True(v > 0, $"saw {v}"));
    }

    [Fact]
    public void Concurrent_setters_and_readers_keep_every_write_and_see_whole_values()
    {
        Lwm2mObjectStore store = CreateStore();
        int events = 0;
        store.ValuesChanged += (_, e) => Interlocked.Add(ref events, e.Paths.Count);
        var dispatcher = new Lwm2mRequestDispatcher(store);

        Parallel.For(0, 8, worker =>
        {
            for (int k = 1; k <= 200; k++)
            {
                store.SetValue(P($"/9999/0/7/{worker}"), Lwm2mValue.FromInteger(k));
                Assert.Equal(Tern.Coap.Messages.CoapCode.Content, dispatcher.Handle(Request(Tern.Coap.Messages.CoapCode.Get, "/9999/0/7", accept: Tern.Lwm2m.Formats.Lwm2mContentFormat.SenmlJson), 101).Code);
            }
        });

        Assert.All(Enumerable.Range(0, 8), w => Assert.Equal(200, store.GetValue(P($"/9999/0/7/{w}")).AsInteger()));
        Assert.Equal(8 * 200, events); // every set differs from the value before it, so each raises one change
    }

    [Theory]
    [InlineData("/9999/0/1", "text")]
    [InlineData("/9999/0/7", "multiple")]
    [InlineData("/9999/0/8", "executable")]
    [InlineData("/9999/0/1/0", "single")]
    [InlineData("/9999/0/55", "undefined")]
    [InlineData("/9999/5/1", "missing instance")]
    [InlineData("/9999/0", "instance path")]
    public void Misusing_the_setters_throws_with_a_message(string path, string why)
    {
        Lwm2mObjectStore store = CreateStore();

        var ex = Assert.Throws<ArgumentException>(() => store.SetValue(P(path), Lwm2mValue.FromString(why)));

        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
    }

    [Fact]
    public void Typed_setters_convert_whole_numbers_to_the_defined_type()
    {
        Lwm2mObjectStore store = CreateStore();

        store.SetValue(P("/9999/0/2"), 3);
        store.SetValue(P("/9999/0/11"), 4);
        store.SetValue(P("/9999/0/5"), 1_800_000_000);

        Assert.Equal(3.0, store.GetValue(P("/9999/0/2")).AsFloat());
        Assert.Equal(4UL, store.GetValue(P("/9999/0/11")).AsUnsignedInteger());
        Assert.Equal(1_800_000_000, store.GetValue(P("/9999/0/5")).AsUnixTime());
    }

    [Fact]
    public void Creating_and_deleting_instances_raises_instance_changes_and_updates_the_adverts()
    {
        Lwm2mObjectStore store = CreateStore();
        var changes = new List<Lwm2mInstancesChangedEventArgs>();
        store.InstancesChanged += (_, e) => changes.Add(e);

        int created = store.CreateInstance(TestModel.Id);
        bool deleted = store.DeleteInstance(TestModel.Id, 0);

        Assert.Equal(2, created);
        Assert.True(deleted);
        Assert.Equal([P("/9999/2")], changes[0].Created);
        Assert.Equal([P("/9999/0")], changes[1].Deleted);
        Assert.Equal(
            ["1:1.2:0", "3:1.2:0", "9999:1.1:1,2"],
            store.GetObjectAdverts().Select(a => $"{a.ObjectId}:{a.Version}:{string.Join(',', a.InstanceIds)}"));
    }

    [Fact]
    public void Values_and_instances_can_be_removed()
    {
        Lwm2mObjectStore store = CreateStore();

        Assert.True(store.RemoveValue(P("/9999/0/7/0")));
        Assert.True(store.RemoveValue(P("/9999/0/0")));
        Assert.False(store.RemoveValue(P("/9999/0/0")));
        Assert.False(store.DeleteInstance(TestModel.Id, 42));

        Assert.False(store.Exists(P("/9999/0/0")));
        Assert.False(store.Exists(P("/9999/0/7/0")));
        Assert.True(store.Exists(P("/9999/0/7/1")));
    }
}
