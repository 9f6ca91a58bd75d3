using System.Text;
using Tern.Coap.Messages;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.DataModel;
using static Tern.Lwm2m.Client.Tests.DataModel.TestModel;
using F = Tern.Lwm2m.Formats.Lwm2mContentFormat;

namespace Tern.Lwm2m.Client.Tests.DataModel;

/// <summary>Stores with one or two LwM2M servers (101 and 102, plus a bootstrap server), and the operations the ACL governs.</summary>
internal static class AccessControlModel
{
    public const ushort First = 101, Second = 102;

    public const Lwm2mAccessRights All = Lwm2mAccessRights.Read | Lwm2mAccessRights.Write | Lwm2mAccessRights.Execute
        | Lwm2mAccessRights.Delete | Lwm2mAccessRights.Create;

    /// <summary>The test store with Server instances for 101 and 102: access control is enforced.</summary>
    public static Lwm2mObjectStore TwoServers()
    {
        Lwm2mObjectStore store = CreateStore();
        store.LoadConfiguration(new Lwm2mClientConfiguration(
            [
                new Lwm2mSecurityInstance(0, "coap://one", false, Lwm2mSecurityMode.NoSec) { ShortServerId = First },
                new Lwm2mSecurityInstance(1, "coap://two", false, Lwm2mSecurityMode.NoSec) { ShortServerId = Second },
                new Lwm2mSecurityInstance(2, "coap://bootstrap", true, Lwm2mSecurityMode.NoSec),
            ],
            [new Lwm2mServerInstance(0, First, TimeSpan.FromSeconds(300)), new Lwm2mServerInstance(1, Second, TimeSpan.FromSeconds(300))]));
        return store;
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>
    /// One request per operation the ACL governs, the right it needs, and the code it gets when allowed. Each
    /// targets /9999/0 or /9999/1 (or object 9999 for Create), whose ACL instances the tests set alike.
    /// </summary>
    public static readonly Dictionary<string, (Func<CoapMessage> Request, Lwm2mAccessRights Right, CoapCode Allowed)> Operations = new()
    {
        ["read_instance"] = (() => Request(CoapCode.Get, "/9999/0"), Lwm2mAccessRights.Read, CoapCode.Content),
        ["read_resource"] = (() => Request(CoapCode.Get, "/9999/0/1"), Lwm2mAccessRights.Read, CoapCode.Content),
        ["observe_resource"] = (() => Observe("/9999/0/1"), Lwm2mAccessRights.Read, CoapCode.Content),
        ["discover_instance"] = (() => Request(CoapCode.Get, "/9999/0", accept: F.LinkFormat), Lwm2mAccessRights.Read, CoapCode.Content),
        ["write_attributes"] = (() => Request(CoapCode.Put, "/9999/0/1", queries: "pmin=5"), Lwm2mAccessRights.Read, CoapCode.Changed),
        ["write_replace"] = (() => Text(CoapCode.Put, "/9999/0/1", "5", F.Text), Lwm2mAccessRights.Write, CoapCode.Changed),
        ["write_partial"] = (() => Request(CoapCode.Post, "/9999/0", F.SenmlJson, Utf8("[{\"n\":\"/9999/0/1\",\"v\":6}]")), Lwm2mAccessRights.Write, CoapCode.Changed),
        ["delete_resource_instance"] = (() => Request(CoapCode.Delete, "/9999/0/7/1"), Lwm2mAccessRights.Write, CoapCode.Deleted),
        ["execute"] = (() => Request(CoapCode.Post, "/9999/0/8"), Lwm2mAccessRights.Execute, CoapCode.Changed),
        ["delete_instance"] = (() => Request(CoapCode.Delete, "/9999/1"), Lwm2mAccessRights.Delete, CoapCode.Deleted),
        ["create"] = (() => Request(CoapCode.Post, "/9999", F.SenmlJson, Utf8("[{\"n\":\"/9999/5/1\",\"v\":1}]")), Lwm2mAccessRights.Create, CoapCode.Created),
    };

    public static CoapMessage Observe(string path)
    {
        CoapMessage message = Request(CoapCode.Get, path);
        message.Observe = 0;
        return message;
    }

    /// <summary>Gives /9999/0, /9999/1 and object 9999 (65535, Create) the same owner and ACL entries.</summary>
    public static void SetAclOnTargets(Lwm2mObjectStore store, ushort owner, params Lwm2mAclEntry[] entries)
    {
        foreach (ushort target in new ushort[] { 0, 1, ushort.MaxValue })
        {
            store.AddAccessControl(Id, target, owner, entries);
        }
    }
}
