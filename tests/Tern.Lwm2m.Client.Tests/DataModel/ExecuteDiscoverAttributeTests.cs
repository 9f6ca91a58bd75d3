using System.Text;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Model;
using static Tern.Lwm2m.Client.Tests.DataModel.TestModel;
using F = Tern.Lwm2m.Formats.Lwm2mContentFormat;

namespace Tern.Lwm2m.Client.Tests.DataModel;

public class ExecuteDiscoverAttributeTests
{
    private sealed class RecordingHandler : ILwm2mObjectHandler
    {
        public List<(Lwm2mPath Path, Lwm2mExecuteArguments Arguments)> Executed { get; } = [];

        public Lwm2mStatus OnExecute(Lwm2mPath resourcePath, Lwm2mExecuteArguments arguments)
        {
            Executed.Add((resourcePath, arguments));
            return Lwm2mStatus.Ok;
        }
    }

    [Fact]
    public void Execute_with_arguments_reaches_the_handler_and_the_executed_event()
    {
        var handler = new RecordingHandler();
        Lwm2mObjectStore store = CreateStore(handler);
        Lwm2mExecutedEventArgs? raised = null;
        store.Executed += (_, e) => raised = e;
        var dispatcher = new Lwm2mRequestDispatcher(store);

        CoapResponse response = dispatcher.Handle(Request(CoapCode.Post, "/9999/0/8", null, Encoding.ASCII.GetBytes("0='on',3,5='a b'")), 101);

        Assert.Equal(CoapCode.Changed, response.Code);
        (Lwm2mPath path, Lwm2mExecuteArguments arguments) = Assert.Single(handler.Executed);
        Assert.Equal(P("/9999/0/8"), path);
        Assert.Equal(["0=on", "3=", "5=a b"], arguments.Items.Select(a => $"{a.Digit}={a.Value}"));
        Assert.True(arguments.Has(3));
        Assert.Equal("a b", arguments[5]);
        Assert.Equal(P("/9999/0/8"), raised!.Path);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("7", 1)]
    [InlineData("0,1,2", 3)]
    [InlineData("9='x=y,z'", 1)]
    public void Valid_execute_arguments_parse(string text, int count)
    {
        Assert.True(Lwm2mExecuteArguments.TryParse(Encoding.ASCII.GetBytes(text), out Lwm2mExecuteArguments? parsed, out _));
        Assert.Equal(count, parsed.Items.Count);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("10")]
    [InlineData("1,")]
    [InlineData("1=x")]
    [InlineData("1='x")]
    [InlineData("1,1")]
    [InlineData("1='\u00e9'")]
    [InlineData(",")]
    public void Invalid_execute_arguments_are_refused_with_a_reason(string text)
    {
        Assert.False(Lwm2mExecuteArguments.TryParse(Encoding.UTF8.GetBytes(text), out _, out string? error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Discover_on_an_object_lists_instances_and_resources_with_version_dim_and_attributes()
    {
        Lwm2mObjectStore store = CreateStore();
        var dispatcher = new Lwm2mRequestDispatcher(store) { Version = Lwm2mVersion.Lwm2m11 };
        Assert.Equal(CoapCode.Changed, dispatcher.Handle(Request(CoapCode.Put, "/9999/1/1", queries: ["pmin=10", "gt=3.5"]), 101).Code);

        CoapResponse response = dispatcher.Handle(Request(CoapCode.Get, "/9999", accept: F.LinkFormat), 101);

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(F.LinkFormat, response.ContentFormat);
        Assert.Equal(
            "</9999>;ver=1.1,</9999/0>,</9999/0/0>,</9999/0/1>,</9999/0/2>,</9999/0/3>,</9999/0/4>,</9999/0/5>,</9999/0/6>,</9999/0/7>;dim=2,</9999/0/8>,</9999/0/9>,</9999/0/10>,</9999/0/11>,"
            + "</9999/1>,</9999/1/1>;pmin=10;gt=3.5,</9999/1/8>,</9999/1/9>",
            response.PayloadText);
    }

    [Theory]
    [InlineData("/9999/0/7", null, Lwm2mVersion.Lwm2m12, "</9999/0/7>;dim=2,</9999/0/7/0>,</9999/0/7/1>")]
    [InlineData("/9999/0/7", null, Lwm2mVersion.Lwm2m11, "</9999/0/7>;dim=2")]
    [InlineData("/9999/0/7", "depth=0", Lwm2mVersion.Lwm2m12, "</9999/0/7>;dim=2")]
    [InlineData("/9999/1", null, Lwm2mVersion.Lwm2m12, "</9999/1>,</9999/1/1>,</9999/1/8>,</9999/1/9>")]
    [InlineData("/9999/1", "depth=0", Lwm2mVersion.Lwm2m12, "</9999/1>")]
    [InlineData("/9999", "depth=1", Lwm2mVersion.Lwm2m12, "</9999>;ver=1.1,</9999/0>,</9999/1>")]
    [InlineData("/3", "depth=3", Lwm2mVersion.Lwm2m12, "</3>;ver=1.2,</3/0>,</3/0/0>,</3/0/4>,</3/0/5>,</3/0/11>;dim=1,</3/0/11/0>,</3/0/12>")]
    public void Discover_depth_limits_the_levels_listed(string path, string? depth, Lwm2mVersion version, string expected)
    {
        var dispatcher = new Lwm2mRequestDispatcher(CreateStore()) { Version = version };

        CoapResponse response = dispatcher.Handle(Request(CoapCode.Get, path, accept: F.LinkFormat, queries: depth is null ? [] : [depth]), 101);

        Assert.Equal(expected, response.PayloadText);
    }

    [Fact]
    public void Write_attributes_are_kept_per_server_merged_and_unset()
    {
        Lwm2mObjectStore store = CreateStore();
        var dispatcher = new Lwm2mRequestDispatcher(store);

        Assert.Equal(CoapCode.Changed, dispatcher.Handle(Request(CoapCode.Put, "/9999/0/1", queries: ["pmin=5", "pmax=60", "st=1"]), 101).Code);
        Assert.Equal(CoapCode.Changed, dispatcher.Handle(Request(CoapCode.Put, "/9999/0/1", queries: ["pmax", "lt=2", "con=1"]), 101).Code);
        Assert.Equal(CoapCode.Changed, dispatcher.Handle(Request(CoapCode.Put, "/9999/0/3", queries: ["edge=1", "epmin=2", "epmax=20"]), 102).Code);
        Assert.Equal(CoapCode.Changed, dispatcher.Handle(Request(CoapCode.Put, "/9999", queries: "pmin=30"), 101).Code);

        Assert.Equal("pmin=5&lt=2&st=1&con=1", store.Attributes.GetAttributes(101, P("/9999/0/1"))!.ToString());
        Assert.Null(store.Attributes.GetAttributes(102, P("/9999/0/1")));
        Assert.Equal("epmin=2&epmax=20&edge=1", store.Attributes.GetAttributes(102, P("/9999/0/3"))!.ToString());
        Assert.Equal(30, store.Attributes.GetAttributes(101, P("/9999"))!.MinimumPeriod);
        Assert.Equal([P("/9999"), P("/9999/0/1")], store.Attributes.GetPaths(101));
    }

    [Fact]
    public void Deleting_an_instance_forgets_its_attributes()
    {
        Lwm2mObjectStore store = CreateStore();
        var dispatcher = new Lwm2mRequestDispatcher(store);
        dispatcher.Handle(Request(CoapCode.Put, "/9999/1/1", queries: "pmin=5"), 101);

        Assert.Equal(CoapCode.Deleted, dispatcher.Handle(Request(CoapCode.Delete, "/9999/1"), 101).Code);

        Assert.Null(store.Attributes.GetAttributes(101, P("/9999/1/1")));
    }

    [Fact]
    public void Delete_of_a_resource_instance_removes_only_that_instance()
    {
        Lwm2mObjectStore store = CreateStore();
        var dispatcher = new Lwm2mRequestDispatcher(store);

        Assert.Equal(CoapCode.Deleted, dispatcher.Handle(Request(CoapCode.Delete, "/9999/0/7/0"), 101).Code);

        Assert.False(store.TryGetValue(P("/9999/0/7/0"), out _));
        Assert.Equal(11, store.GetValue(P("/9999/0/7/1")).AsInteger());
    }

    [Fact]
    public void Create_without_an_instance_id_gets_the_lowest_free_one()
    {
        Lwm2mObjectStore store = CreateStore();
        var dispatcher = new Lwm2mRequestDispatcher(store);
        byte[] tlv = [0xC1, 0x01, 0x09]; // resource 1 = 9, with no instance around it (the LwM2M 1.0 form)

        CoapResponse response = dispatcher.Handle(Request(CoapCode.Post, "/9999", F.Tlv, tlv), 101);

        Assert.Equal(CoapCode.Created, response.Code);
        Assert.Equal(["9999", "2"], response.Message.GetOptions(CoapOptionNumber.LocationPath).Select(o => o.GetString()));
        Assert.Equal(9, store.GetValue(P("/9999/2/1")).AsInteger());
    }

    [Theory]
    [InlineData(null, Lwm2mVersion.Lwm2m11, "/9999/0/1", F.Text)]
    [InlineData(null, Lwm2mVersion.Lwm2m11, "/9999/0", F.SenmlCbor)]
    [InlineData(null, Lwm2mVersion.Lwm2m10, "/9999/0", F.Tlv)]
    [InlineData(null, Lwm2mVersion.Lwm2m10, "/9999/0/7", F.Tlv)]
    [InlineData(F.SenmlJson, Lwm2mVersion.Lwm2m11, "/9999/0/1", F.SenmlJson)]
    [InlineData(F.Text, Lwm2mVersion.Lwm2m11, "/9999/0", F.SenmlCbor)]
    [InlineData(F.Text, Lwm2mVersion.Lwm2m10, "/9999/0/1", F.Text)]
    public void Without_accept_the_answer_uses_the_registered_format_then_the_TS_defaults(ushort? preferred, Lwm2mVersion version, string path, ushort expected)
    {
        var dispatcher = new Lwm2mRequestDispatcher(CreateStore()) { PreferredContentFormat = preferred, Version = version };

        CoapResponse response = dispatcher.Handle(Request(CoapCode.Get, path), 101);

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(expected, response.ContentFormat);
    }

    [Fact]
    public void Observe_requests_are_answered_as_reads_until_reporting_takes_them()
    {
        var dispatcher = new Lwm2mRequestDispatcher(CreateStore());
        CoapMessage observe = Request(CoapCode.Get, "/9999/0/1", accept: F.Text);
        observe.Observe = 0;

        CoapResponse response = dispatcher.Handle(observe, 101);

        Assert.Equal("42", response.PayloadText);
    }
}
