using System.Text;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Formats.LinkFormat;
using Tern.Lwm2m.Model;
using static Tern.Lwm2m.Client.Tests.DataModel.AccessControlModel;
using static Tern.Lwm2m.Client.Tests.DataModel.TestModel;
using F = Tern.Lwm2m.Formats.Lwm2mContentFormat;

namespace Tern.Lwm2m.Client.Tests.DataModel;

/// <summary>The rules around the matrix: bootstrap server, reserved objects, object 2 itself, Create and Delete, object-level and composite operations.</summary>
public class AccessControlRuleTests
{
    [Fact]
    public void The_bootstrap_server_is_never_checked_against_the_acl()
    {
        Lwm2mObjectStore store = TwoServers();
        SetAclOnTargets(store, First);
        var dispatcher = new Lwm2mRequestDispatcher(store);

        Assert.Equal(CoapCode.Changed, dispatcher.Handle(Text(CoapCode.Put, "/9999/0/1", "77", F.Text), 0, isBootstrapServer: true).Code);
        Assert.Equal(CoapCode.Content, dispatcher.Handle(Request(CoapCode.Get, "/2"), 0, isBootstrapServer: true).Code);
        Assert.Equal(CoapCode.Changed, dispatcher.Handle(Text(CoapCode.Put, "/2/0/3", "65535", F.Text), 0, isBootstrapServer: true).Code);
        Assert.Equal(77, store.GetValue(P("/9999/0/1")).AsInteger());
        Assert.Equal(CoapCode.Unauthorized, dispatcher.Handle(Request(CoapCode.Get, "/9999/0/1"), Second).Code);
    }

    [Theory]
    [InlineData("/0/0")]
    [InlineData("/0/0/0")]
    [InlineData("/21/0/0")]
    public void Security_and_oscore_stay_closed_to_a_server_whatever_the_acl_says(string path)
    {
        Lwm2mObjectStore store = TwoServers();
        store.AddObject(new ObjectDefinition(21, "OSCORE", "1.0", "1.1", true, false, "urn:oma:lwm2m:oma:21", new Dictionary<int, ResourceDefinition>
        {
            [0] = new(0, "Master Secret", Lwm2mOperations.None, false, true, Lwm2mResourceType.String),
        }));
        store.CreateInstance(21, 0, [new Lwm2mSingleResource(0, Lwm2mValue.FromString("k"))]);
        store.AddAccessControl(0, 0, Second);
        store.AddAccessControl(21, 0, Second);
        var dispatcher = new Lwm2mRequestDispatcher(store);

        Assert.Equal(CoapCode.Unauthorized, dispatcher.Handle(Request(CoapCode.Get, path), Second).Code);
        Assert.Equal(CoapCode.Unauthorized, dispatcher.CheckAccess(Request(CoapCode.Put, path, queries: "pmin=1"), Second)?.Code);
        Assert.DoesNotContain(store.GetObjectAdverts(), a => a.ObjectId is 0 or 21);
    }

    [Fact]
    public void Without_an_acl_a_server_reaches_its_own_server_instance_but_not_another_servers()
    {
        Lwm2mObjectStore store = TwoServers();
        var dispatcher = new Lwm2mRequestDispatcher(store);

        Assert.Equal(CoapCode.Content, dispatcher.Handle(Request(CoapCode.Get, "/1/0"), First).Code);
        Assert.Equal(CoapCode.Content, dispatcher.Handle(Request(CoapCode.Get, "/1/1"), Second).Code);
        Assert.Equal(CoapCode.Unauthorized, dispatcher.Handle(Request(CoapCode.Get, "/1/1"), First).Code);
        Assert.Equal(CoapCode.Unauthorized, dispatcher.Handle(Request(CoapCode.Delete, "/1/0"), First).Code);
    }

    [Fact]
    public void Every_server_may_read_access_control_but_only_the_owner_may_change_an_instance()
    {
        Lwm2mObjectStore store = TwoServers();
        int acl = store.AddAccessControl(Id, 0, Second, new Lwm2mAclEntry(First, Lwm2mAccessRights.Read));
        var dispatcher = new Lwm2mRequestDispatcher(store);
        string entry = $"/2/{acl}/2/{First}";

        Assert.Equal(CoapCode.Content, dispatcher.Handle(Request(CoapCode.Get, $"/2/{acl}"), First).Code);
        Assert.Equal(CoapCode.Unauthorized, dispatcher.Handle(Text(CoapCode.Put, entry, "31", F.Text), First).Code);
        Assert.Equal(CoapCode.Changed, dispatcher.Handle(Text(CoapCode.Put, entry, "3", F.Text), Second).Code);
        Assert.Equal(Lwm2mAccessRights.Read | Lwm2mAccessRights.Write, dispatcher.AccessControl.GetRights(First, Id, 0));
    }

    [Fact]
    public void A_bootstrap_owned_access_control_instance_is_changed_by_no_lwm2m_server()
    {
        Lwm2mObjectStore store = TwoServers();
        int acl = store.AddAccessControl(Id, 0, ushort.MaxValue, new Lwm2mAclEntry(First, All));
        var dispatcher = new Lwm2mRequestDispatcher(store);

        Assert.Equal(CoapCode.Unauthorized, dispatcher.Handle(Text(CoapCode.Put, $"/2/{acl}/3", "101", F.Text), First).Code);
        Assert.Equal(CoapCode.Unauthorized, dispatcher.Handle(Text(CoapCode.Put, $"/2/{acl}/3", "101", F.Text), Second).Code);
        Assert.Equal(ushort.MaxValue, (int)store.GetValue(P($"/2/{acl}/3")).AsInteger());
    }

    [Fact]
    public void A_server_may_neither_create_nor_delete_access_control_instances()
    {
        Lwm2mObjectStore store = TwoServers();
        int acl = store.AddAccessControl(Id, 0, Second);
        var dispatcher = new Lwm2mRequestDispatcher(store);

        Assert.Equal(CoapCode.Unauthorized, dispatcher.Handle(Request(CoapCode.Delete, $"/2/{acl}"), Second).Code);
        Assert.Equal(CoapCode.Unauthorized, dispatcher.Handle(Request(CoapCode.Post, "/2", F.SenmlJson, Utf8("[{\"n\":\"/2/9/0\",\"v\":3},{\"n\":\"/2/9/1\",\"v\":0},{\"n\":\"/2/9/3\",\"v\":102}]")), Second).Code);
        Assert.Single(store.GetInstanceIds(2));
    }

    [Fact]
    public void Create_makes_the_creating_server_the_owner_of_a_new_access_control_instance()
    {
        Lwm2mObjectStore store = TwoServers();
        store.AddAccessControl(Id, ushort.MaxValue, ushort.MaxValue, new Lwm2mAclEntry(0, Lwm2mAccessRights.Create));
        var dispatcher = new Lwm2mRequestDispatcher(store);

        CoapResponse created = dispatcher.Handle(Operations["create"].Request(), Second);

        Assert.Equal(CoapCode.Created, created.Code);
        Lwm2mAccessControlInstance? acl = dispatcher.AccessControl.Find(Id, 5);
        Assert.NotNull(acl);
        Assert.Equal(Second, acl.Owner);
        Assert.Empty(acl.Acl);
        Assert.Equal(CoapCode.Content, dispatcher.Handle(Request(CoapCode.Get, "/9999/5"), Second).Code);
        Assert.Equal(CoapCode.Unauthorized, dispatcher.Handle(Request(CoapCode.Get, "/9999/5"), First).Code);
    }

    [Fact]
    public void Deleting_an_instance_deletes_its_access_control_instance()
    {
        Lwm2mObjectStore store = TwoServers();
        store.AddAccessControl(Id, 1, Second);
        store.AddAccessControl(Id, 0, Second);
        var dispatcher = new Lwm2mRequestDispatcher(store);

        Assert.Equal(CoapCode.Deleted, dispatcher.Handle(Request(CoapCode.Delete, "/9999/1"), Second).Code);

        Assert.Null(dispatcher.AccessControl.Find(Id, 1));
        Assert.NotNull(dispatcher.AccessControl.Find(Id, 0));
    }

    [Fact]
    public void Reading_an_object_shows_only_the_instances_the_server_may_read()
    {
        Lwm2mObjectStore store = TwoServers();
        store.AddAccessControl(Id, 0, First, new Lwm2mAclEntry(Second, Lwm2mAccessRights.Read));
        store.AddAccessControl(Id, 1, First, new Lwm2mAclEntry(Second, Lwm2mAccessRights.Write));
        var dispatcher = new Lwm2mRequestDispatcher(store);

        CoapResponse second = dispatcher.Handle(Request(CoapCode.Get, "/9999", accept: F.SenmlJson), Second);
        CoapResponse first = dispatcher.Handle(Request(CoapCode.Get, "/9999", accept: F.SenmlJson), First);

        Assert.Equal([0], ((Lwm2mObject)Decode(second, P("/9999"))).Instances.Select(i => i.Id));
        Assert.Equal([0, 1], ((Lwm2mObject)Decode(first, P("/9999"))).Instances.Select(i => i.Id));
    }

    [Fact]
    public void Discovering_an_object_lists_only_the_instances_the_server_may_read()
    {
        Lwm2mObjectStore store = TwoServers();
        store.AddAccessControl(Id, 1, First, new Lwm2mAclEntry(0, Lwm2mAccessRights.Read));
        store.AddAccessControl(Id, 0, First);
        var dispatcher = new Lwm2mRequestDispatcher(store);

        CoapResponse response = dispatcher.Handle(Request(CoapCode.Get, "/9999", accept: F.LinkFormat), Second);

        var targets = CoreLinkFormat.Parse(response.Payload.Span).Value!.Select(l => l.Target).ToList();
        Assert.Contains("/9999/1", targets);
        Assert.DoesNotContain(targets, t => t.StartsWith("/9999/0", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_composite_naming_a_forbidden_path_is_refused_whole()
    {
        Lwm2mObjectStore store = TwoServers();
        store.AddAccessControl(Id, 0, Second);
        store.AddAccessControl(3, 0, First);
        byte[] paths = Utf8("[{\"n\":\"/9999/0/1\"},{\"n\":\"/3/0/0\"}]");

        CoapResponse response = new Lwm2mRequestDispatcher(store).Handle(Request(CoapCode.Fetch, "/", F.SenmlJson, paths, accept: F.SenmlJson), Second);

        Assert.Equal(CoapCode.Unauthorized, response.Code);
    }

    [Fact]
    public void Read_composite_of_the_root_leaves_out_what_the_server_may_not_read()
    {
        Lwm2mObjectStore store = TwoServers();
        store.AddAccessControl(Id, 0, Second);
        store.AddAccessControl(3, 0, First);

        CoapResponse response = new Lwm2mRequestDispatcher(store).Handle(Request(CoapCode.Fetch, "/", F.SenmlJson, Utf8("[{\"n\":\"/\"}]"), accept: F.SenmlJson), Second);

        string text = Encoding.UTF8.GetString(response.Payload.Span);
        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Contains("/9999/0/", text, StringComparison.Ordinal);
        Assert.DoesNotContain("/9999/1/", text, StringComparison.Ordinal);
        Assert.DoesNotContain("/3/0/", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_composite_with_one_forbidden_path_writes_nothing()
    {
        Lwm2mObjectStore store = TwoServers();
        store.AddAccessControl(Id, 0, Second);
        store.AddAccessControl(Id, 1, First, new Lwm2mAclEntry(Second, Lwm2mAccessRights.Read));
        byte[] records = Utf8("[{\"n\":\"/9999/0/1\",\"v\":500},{\"n\":\"/9999/1/1\",\"v\":600}]");

        CoapResponse response = new Lwm2mRequestDispatcher(store).Handle(Request(CoapCode.IPatch, "/", F.SenmlJson, records), Second);

        Assert.Equal(CoapCode.Unauthorized, response.Code);
        Assert.Equal(42, store.GetValue(P("/9999/0/1")).AsInteger());
        Assert.Equal(-5, store.GetValue(P("/9999/1/1")).AsInteger());
    }

    [Fact]
    public void Write_composite_allowed_on_every_path_is_applied()
    {
        Lwm2mObjectStore store = TwoServers();
        store.AddAccessControl(Id, 0, Second);
        store.AddAccessControl(Id, 1, First, new Lwm2mAclEntry(Second, Lwm2mAccessRights.Write));
        byte[] records = Utf8("[{\"n\":\"/9999/0/1\",\"v\":500},{\"n\":\"/9999/1/1\",\"v\":600}]");

        CoapResponse response = new Lwm2mRequestDispatcher(store).Handle(Request(CoapCode.IPatch, "/", F.SenmlJson, records), Second);

        Assert.Equal(CoapCode.Changed, response.Code);
        Assert.Equal(600, store.GetValue(P("/9999/1/1")).AsInteger());
    }

    [Fact]
    public void An_instance_that_does_not_exist_is_4_04_not_4_01()
    {
        Lwm2mObjectStore store = TwoServers();
        SetAclOnTargets(store, First);

        Assert.Equal(CoapCode.NotFound, new Lwm2mRequestDispatcher(store).Handle(Request(CoapCode.Get, "/9999/8"), Second).Code);
    }

    [Fact]
    public void Write_attributes_served_outside_the_dispatcher_is_checked_through_check_access()
    {
        Lwm2mObjectStore store = TwoServers();
        store.AddAccessControl(Id, 0, First, new Lwm2mAclEntry(Second, Lwm2mAccessRights.Write));
        var dispatcher = new Lwm2mRequestDispatcher(store);

        Assert.Equal(CoapCode.Unauthorized, dispatcher.CheckAccess(Request(CoapCode.Put, "/9999/0/1", queries: "pmin=5"), Second)?.Code);
        Assert.Null(dispatcher.CheckAccess(Request(CoapCode.Put, "/9999/0/1", queries: "pmin=5"), First));
        Assert.Equal(CoapCode.BadRequest, dispatcher.CheckAccess(Request(CoapCode.Get, "/x/0"), First)?.Code);
    }
}
