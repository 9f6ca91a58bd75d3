using System.Buffers;
using Tern.Coap.Messages;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Model;
using static Tern.Lwm2m.Client.Tests.DataModel.AccessControlModel;
using static Tern.Lwm2m.Client.Tests.DataModel.TestModel;
using T = Tern.Lwm2m.Model.Lwm2mResourceType;

namespace Tern.Lwm2m.Client.Tests.DataModel;

/// <summary>Odd Access Control data is read leniently and answered with codes, never exceptions; declared ACLs persist.</summary>
public class AccessControlDataTests
{
    /// <summary>Object 2 declared with the wrong types everywhere: the store accepts what the definition says.</summary>
    private static readonly ObjectDefinition Skewed = new(2, "Skewed ACL", "1.0", "1.0", true, false, "urn:test:2", new Dictionary<int, ResourceDefinition>
    {
        [0] = new(0, "Object ID", Lwm2mOperations.Read, false, true, T.String),
        [1] = new(1, "Object Instance ID", Lwm2mOperations.Read, false, true, T.Integer),
        [2] = new(2, "ACL", Lwm2mOperations.ReadWrite, true, false, T.String),
        [3] = new(3, "Owner", Lwm2mOperations.ReadWrite, false, true, T.Boolean),
    });

    [Fact]
    public void An_acl_instance_of_the_wrong_types_grants_nothing_and_throws_nothing()
    {
        Lwm2mObjectStore store = TwoServers();
        store.AddObject(Skewed);
        store.CreateInstance(2, 0,
        [
            new Lwm2mSingleResource(0, Lwm2mValue.FromString("9999")),
            new Lwm2mSingleResource(1, Lwm2mValue.FromInteger(0)),
            new Lwm2mMultipleResource(2, T.String, [new(Second, Lwm2mValue.FromString("31"))]),
            new Lwm2mSingleResource(3, Lwm2mValue.FromBoolean(true)),
        ]);
        var dispatcher = new Lwm2mRequestDispatcher(store);

        Assert.Null(dispatcher.AccessControl.Read(0));
        Assert.Equal(CoapCode.Unauthorized, dispatcher.Handle(Request(CoapCode.Get, "/9999/0"), Second).Code);
    }

    [Fact]
    public void Acl_entries_that_are_not_integers_are_ignored_while_the_owner_still_counts()
    {
        var lenient = Skewed with
        {
            Resources = new Dictionary<int, ResourceDefinition>(Skewed.Resources)
            {
                [0] = new(0, "Object ID", Lwm2mOperations.Read, false, true, T.Integer),
                [3] = new(3, "Owner", Lwm2mOperations.ReadWrite, false, true, T.UnsignedInteger),
            },
        };
        Lwm2mObjectStore store = TwoServers();
        store.AddObject(lenient);
        store.CreateInstance(2, 0,
        [
            new Lwm2mSingleResource(0, Lwm2mValue.FromInteger(Id)),
            new Lwm2mSingleResource(1, Lwm2mValue.FromInteger(0)),
            new Lwm2mMultipleResource(2, T.String, [new(First, Lwm2mValue.FromString("all"))]),
            new Lwm2mSingleResource(3, Lwm2mValue.FromUnsignedInteger(First)),
        ]);
        var dispatcher = new Lwm2mRequestDispatcher(store);

        Assert.Equal(CoapCode.Content, dispatcher.Handle(Request(CoapCode.Get, "/9999/0"), First).Code);
        Assert.Equal(CoapCode.Unauthorized, dispatcher.Handle(Request(CoapCode.Get, "/9999/0"), Second).Code);
    }

    [Fact]
    public void An_acl_instance_missing_its_target_is_ignored()
    {
        Lwm2mObjectStore store = TwoServers();
        store.AddObject(2);
        store.CreateInstance(2, 0, [new Lwm2mSingleResource(0, Lwm2mValue.FromInteger(Id)), new Lwm2mSingleResource(3, Lwm2mValue.FromInteger(Second))]);
        var dispatcher = new Lwm2mRequestDispatcher(store);

        Assert.Null(dispatcher.AccessControl.Find(Id, 0));
        Assert.Equal(CoapCode.Unauthorized, dispatcher.Handle(Request(CoapCode.Get, "/9999/0"), Second).Code);
    }

    [Fact]
    public void An_acl_instance_without_owner_gives_only_what_its_entries_say()
    {
        Lwm2mObjectStore store = TwoServers();
        store.AddObject(2);
        store.CreateInstance(2, 0,
        [
            new Lwm2mSingleResource(0, Lwm2mValue.FromInteger(Id)),
            new Lwm2mSingleResource(1, Lwm2mValue.FromInteger(0)),
            new Lwm2mMultipleResource(2, T.Integer, [new(Second, Lwm2mValue.FromInteger(1))]),
        ]);
        var access = new Lwm2mAccessControl(store);

        Assert.Equal(Lwm2mAccessRights.Read, access.GetRights(Second, Id, 0));
        Assert.Equal(Lwm2mAccessRights.None, access.GetRights(First, Id, 0));
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(32, 0)]
    [InlineData(0xFFFF, 31)]
    [InlineData(0x21, 1)]
    public void Rights_outside_the_five_bits_are_dropped(long stored, int expected)
    {
        Lwm2mObjectStore store = TwoServers();
        store.AddObject(2);
        store.CreateInstance(2, 0,
        [
            new Lwm2mSingleResource(0, Lwm2mValue.FromInteger(Id)),
            new Lwm2mSingleResource(1, Lwm2mValue.FromInteger(0)),
            new Lwm2mMultipleResource(2, T.Integer, [new(Second, Lwm2mValue.FromInteger(stored))]),
            new Lwm2mSingleResource(3, Lwm2mValue.FromInteger(First)),
        ]);

        Assert.Equal((Lwm2mAccessRights)expected, new Lwm2mAccessControl(store).GetRights(Second, Id, 0));
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(32, 0)]
    [InlineData(0x21, 1)]
    public void The_configuration_read_back_keeps_only_the_five_defined_bits(long stored, int expected)
    {
        Lwm2mObjectStore store = TwoServers();
        store.AddObject(2);
        store.CreateInstance(2, 0,
        [
            new Lwm2mSingleResource(0, Lwm2mValue.FromInteger(Id)),
            new Lwm2mSingleResource(1, Lwm2mValue.FromInteger(0)),
            new Lwm2mMultipleResource(2, T.Integer, [new(Second, Lwm2mValue.FromInteger(stored))]),
            new Lwm2mSingleResource(3, Lwm2mValue.FromInteger(First)),
        ]);

        Lwm2mAclEntry entry = Assert.Single(Assert.Single(store.ReadConfiguration().AccessControls).Acl);

        Assert.Equal((Lwm2mAccessRights)expected, entry.Rights);
    }

    [Fact]
    public void The_lowest_numbered_of_two_acl_instances_for_one_target_counts()
    {
        Lwm2mObjectStore store = TwoServers();
        store.SetAccessControl(new Lwm2mAccessControlInstance(4, Id, 0, First) { Acl = [new(Second, Lwm2mAccessRights.Write)] });
        store.SetAccessControl(new Lwm2mAccessControlInstance(1, Id, 0, First) { Acl = [new(Second, Lwm2mAccessRights.Read)] });

        Assert.Equal(Lwm2mAccessRights.Read, new Lwm2mAccessControl(store).GetRights(Second, Id, 0));
    }

    [Fact]
    public void Declaring_rights_with_undefined_bits_is_refused()
    {
        Lwm2mObjectStore store = TwoServers();

        Assert.Throws<ArgumentException>(() => store.AddAccessControl(Id, 0, First, new Lwm2mAclEntry(Second, (Lwm2mAccessRights)64)));
    }

    [Fact]
    public void Declared_acl_instances_travel_with_the_configuration_and_its_json()
    {
        Lwm2mObjectStore store = TwoServers();
        store.AddAccessControl(Id, 0, First, new Lwm2mAclEntry(Second, Lwm2mAccessRights.Read | Lwm2mAccessRights.Execute), new Lwm2mAclEntry(0, Lwm2mAccessRights.Read));
        store.AddAccessControl(Id, ushort.MaxValue, ushort.MaxValue, new Lwm2mAclEntry(Second, Lwm2mAccessRights.Create));

        Lwm2mClientConfiguration saved = store.ReadConfiguration();
        var json = new ArrayBufferWriter<byte>();
        Lwm2mConfigurationJson.Write(saved, json);
        Lwm2mConfigurationReadResult read = Lwm2mConfigurationJson.Parse(json.WrittenMemory);
        var restored = new Lwm2mObjectStore();
        restored.AddObject(Definition);
        restored.CreateInstance(Id, 0);
        restored.LoadConfiguration(read.Configuration!);

        Assert.True(read.IsSuccess, string.Join("; ", read.Errors));
        Assert.Equal(saved.AccessControls, read.Configuration!.AccessControls);
        var access = new Lwm2mAccessControl(restored);
        Assert.Equal(Lwm2mAccessRights.Read | Lwm2mAccessRights.Execute, access.GetRights(Second, Id, 0));
        Assert.Equal(Lwm2mAccessRights.Create, access.GetRights(Second, Id, ushort.MaxValue));
        Assert.Equal(CoapCode.Unauthorized, new Lwm2mRequestDispatcher(restored).Handle(Text(CoapCode.Put, "/9999/0/1", "1", Tern.Lwm2m.Formats.Lwm2mContentFormat.Text), Second).Code);
    }
}
