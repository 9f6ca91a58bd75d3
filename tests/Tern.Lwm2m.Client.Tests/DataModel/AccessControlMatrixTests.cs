using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.DataModel;
using static Tern.Lwm2m.Client.Tests.DataModel.AccessControlModel;

namespace Tern.Lwm2m.Client.Tests.DataModel;

/// <summary>
/// Every operation the ACL governs × whose rights decide (the server's own entry, the default entry, ownership) × the
/// right present or absent, with server 102 asking; and the same operations with one server, where nothing is checked.
/// </summary>
public class AccessControlMatrixTests
{
    /// <summary>Given the right an operation needs: the ACL instance's owner, its entries, and whether 102 may go on.</summary>
    private static readonly Dictionary<string, Func<Lwm2mAccessRights, (ushort Owner, Lwm2mAclEntry[] Entries, bool Allowed)>> Scenarios = new()
    {
        ["own_entry_with_the_right"] = r => (First, [new(Second, r)], true),
        ["own_entry_without_the_right"] = r => (First, [new(Second, All & ~r)], false),
        ["default_entry_with_the_right"] = r => (First, [new(0, r)], true),
        ["default_entry_without_the_right"] = r => (First, [new(0, All & ~r)], false),
        ["own_entry_wins_over_the_default"] = r => (First, [new(0, All), new(Second, All & ~r)], false),
        ["owner_without_an_entry"] = r => (Second, [], true),
        ["owner_whose_entry_lacks_the_right"] = r => (Second, [new(Second, All & ~r)], false),
        ["owner_with_an_empty_default"] = r => (Second, [new(0, Lwm2mAccessRights.None)], true),
        ["neither_owner_nor_entry"] = r => (First, [new(First, All)], false),
        ["bootstrap_owned_without_entry"] = r => (ushort.MaxValue, [], false),
    };

    public static TheoryData<string, string> Matrix()
    {
        var data = new TheoryData<string, string>();
        foreach (string operation in Operations.Keys)
        {
            foreach (string scenario in Scenarios.Keys)
            {
                data.Add(operation, scenario);
            }
        }

        return data;
    }

    public static TheoryData<string> AllOperations() => [.. Operations.Keys];

    [Theory]
    [MemberData(nameof(Matrix))]
    public void With_two_servers_an_operation_goes_on_exactly_when_the_acl_grants_its_right(string operation, string scenario)
    {
        (Func<CoapMessage> request, Lwm2mAccessRights right, CoapCode allowed) = Operations[operation];
        (ushort owner, Lwm2mAclEntry[] entries, bool expected) = Scenarios[scenario](right);
        Lwm2mObjectStore store = TwoServers();
        SetAclOnTargets(store, owner, entries);

        CoapResponse response = new Lwm2mRequestDispatcher(store).Handle(request(), Second);

        Assert.Equal(expected ? allowed : CoapCode.Unauthorized, response.Code);
    }

    [Theory]
    [MemberData(nameof(AllOperations))]
    public void With_two_servers_an_instance_without_an_access_control_instance_refuses_every_operation(string operation)
    {
        Lwm2mObjectStore store = TwoServers();
        store.AddAccessControl(3, 0, Second); // object 2 exists, but names nothing under 9999

        CoapResponse response = new Lwm2mRequestDispatcher(store).Handle(Operations[operation].Request(), Second);

        Assert.Equal(CoapCode.Unauthorized, response.Code);
    }

    [Theory]
    [MemberData(nameof(AllOperations))]
    public void With_one_server_access_control_is_not_enforced_even_by_a_denying_acl(string operation)
    {
        Lwm2mObjectStore store = TestModel.CreateStore(); // one Server instance, ssid 101
        SetAclOnTargets(store, Second, new Lwm2mAclEntry(First, Lwm2mAccessRights.None), new Lwm2mAclEntry(0, Lwm2mAccessRights.None));
        (Func<CoapMessage> request, _, CoapCode allowed) = Operations[operation];

        CoapResponse response = new Lwm2mRequestDispatcher(store).Handle(request(), First);

        Assert.Equal(allowed, response.Code);
    }

    [Theory]
    [MemberData(nameof(AllOperations))]
    public void The_other_server_keeps_its_own_rights_when_the_asking_one_is_refused(string operation)
    {
        (Func<CoapMessage> request, Lwm2mAccessRights right, CoapCode allowed) = Operations[operation];
        Lwm2mObjectStore store = TwoServers();
        SetAclOnTargets(store, First, new Lwm2mAclEntry(Second, All & ~right));
        var dispatcher = new Lwm2mRequestDispatcher(store);

        Assert.Equal(CoapCode.Unauthorized, dispatcher.Handle(request(), Second).Code);
        Assert.Equal(allowed, dispatcher.Handle(request(), First).Code);
    }
}
