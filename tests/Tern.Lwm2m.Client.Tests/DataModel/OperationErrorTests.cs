using System.Text;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Model;
using static Tern.Lwm2m.Client.Tests.DataModel.TestModel;
using F = Tern.Lwm2m.Formats.Lwm2mContentFormat;

namespace Tern.Lwm2m.Client.Tests.DataModel;

/// <summary>Every refusal the dispatcher gives an LwM2M server, each with the code the TS names.</summary>
public class OperationErrorTests
{
    private static readonly CoapCode Get = CoapCode.Get, Put = CoapCode.Put, Post = CoapCode.Post, Delete = CoapCode.Delete;

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static readonly Dictionary<string, (Func<CoapMessage> Request, CoapCode Expected)> Cases = new()
    {
        ["read_missing_object_is_4.04"] = (() => Request(Get, "/4242"), CoapCode.NotFound),
        ["read_missing_instance_is_4.04"] = (() => Request(Get, "/9999/7"), CoapCode.NotFound),
        ["read_resource_without_value_is_4.04"] = (() => Request(Get, "/9999/1/0"), CoapCode.NotFound),
        ["read_missing_resource_instance_is_4.04"] = (() => Request(Get, "/9999/0/7/9"), CoapCode.NotFound),
        ["read_write_only_resource_is_4.05"] = (() => Request(Get, "/9999/0/10"), CoapCode.MethodNotAllowed),
        ["read_executable_resource_is_4.05"] = (() => Request(Get, "/9999/0/8"), CoapCode.MethodNotAllowed),
        ["read_root_is_4.05"] = (() => Request(Get, "/"), CoapCode.MethodNotAllowed),
        ["read_security_object_is_4.01"] = (() => Request(Get, "/0"), CoapCode.Unauthorized),
        ["read_security_resource_is_4.01"] = (() => Request(Get, "/0/0/0"), CoapCode.Unauthorized),
        ["read_with_unknown_accept_is_4.06"] = (() => Request(Get, "/9999/0/1", accept: 4711), CoapCode.NotAcceptable),
        ["read_instance_as_text_is_4.06"] = (() => Request(Get, "/9999/0", accept: F.Text), CoapCode.NotAcceptable),
        ["read_integer_as_octet_stream_is_4.06"] = (() => Request(Get, "/9999/0/1", accept: F.Opaque), CoapCode.NotAcceptable),
        ["non_lwm2m_path_is_4.00"] = (() => Request(Get, "/abc/1"), CoapCode.BadRequest),
        ["path_with_leading_zero_is_4.00"] = (() => Request(Get, "/09999"), CoapCode.BadRequest),
        ["write_read_only_resource_is_4.05"] = (() => Text(Put, "/9999/0/9", "5", F.Text), CoapCode.MethodNotAllowed),
        ["write_read_only_server_ssid_is_4.05"] = (() => Text(Put, "/1/0/0", "5", F.Text), CoapCode.MethodNotAllowed),
        ["write_undefined_resource_is_4.04"] = (() => Text(Put, "/9999/0/55", "5", F.Text), CoapCode.NotFound),
        ["write_missing_instance_is_4.04"] = (() => Text(Put, "/9999/8/1", "5", F.Text), CoapCode.NotFound),
        ["write_object_is_4.05"] = (() => Text(Put, "/9999", "5", F.Tlv), CoapCode.MethodNotAllowed),
        ["write_without_content_format_or_query_is_4.00"] = (() => Text(Put, "/9999/0/1", "5"), CoapCode.BadRequest),
        ["write_bad_text_value_is_4.00"] = (() => Text(Put, "/9999/0/1", "five", F.Text), CoapCode.BadRequest),
        ["write_unknown_content_format_is_4.15"] = (() => Text(Put, "/9999/0/1", "5", 4711), CoapCode.UnsupportedContentFormat),
        ["write_link_format_is_4.15"] = (() => Text(Put, "/9999/0/1", "</1>", F.LinkFormat), CoapCode.UnsupportedContentFormat),
        ["write_instance_as_text_is_4.15"] = (() => Text(Put, "/9999/0", "5", F.Text), CoapCode.UnsupportedContentFormat),
        ["write_security_resource_is_4.01"] = (() => Text(Put, "/0/0/0", "coap://evil", F.Text), CoapCode.Unauthorized),
        ["write_resource_instance_of_single_resource_is_4.04"] = (() => Text(Put, "/9999/0/1/0", "5", F.Text), CoapCode.NotFound),
        ["execute_non_executable_resource_is_4.05"] = (() => Request(Post, "/9999/0/1"), CoapCode.MethodNotAllowed),
        ["execute_missing_instance_is_4.04"] = (() => Request(Post, "/9999/9/8"), CoapCode.NotFound),
        ["execute_undefined_resource_is_4.04"] = (() => Request(Post, "/9999/0/77"), CoapCode.NotFound),
        ["execute_with_bad_arguments_is_4.00"] = (() => Request(Post, "/9999/0/8", null, Utf8("0='unclosed")), CoapCode.BadRequest),
        ["execute_on_security_is_4.01"] = (() => Request(Post, "/0/0/1"), CoapCode.Unauthorized),
        ["post_on_root_is_4.05"] = (() => Request(Post, "/"), CoapCode.MethodNotAllowed),
        ["create_existing_instance_is_4.00"] = (() => Request(Post, "/9999", F.SenmlJson, Utf8("[{\"n\":\"/9999/0/1\",\"v\":1}]")), CoapCode.BadRequest),
        ["create_in_missing_object_is_4.04"] = (() => Request(Post, "/4242", F.SenmlJson, Utf8("[{\"n\":\"/4242/0/1\",\"v\":1}]")), CoapCode.NotFound),
        ["create_second_device_instance_is_4.00"] = (() => Request(Post, "/3", F.SenmlJson, Utf8("[{\"n\":\"/3/1/0\",\"vs\":\"x\"}]")), CoapCode.BadRequest),
        ["create_without_content_format_is_4.00"] = (() => Request(Post, "/9999"), CoapCode.BadRequest),
        ["create_server_instance_is_4.05"] = (() => Request(Post, "/1", F.SenmlJson, Utf8("[{\"n\":\"/1/5/0\",\"v\":5}]")), CoapCode.MethodNotAllowed),
        ["create_security_instance_is_4.01"] = (() => Request(Post, "/0", F.SenmlJson, Utf8("[{\"n\":\"/0/5/0\",\"vs\":\"x\"}]")), CoapCode.Unauthorized),
        ["delete_missing_instance_is_4.04"] = (() => Request(Delete, "/9999/9"), CoapCode.NotFound),
        ["delete_object_is_4.05"] = (() => Request(Delete, "/9999"), CoapCode.MethodNotAllowed),
        ["delete_resource_is_4.05"] = (() => Request(Delete, "/9999/0/1"), CoapCode.MethodNotAllowed),
        ["delete_root_is_4.05"] = (() => Request(Delete, "/"), CoapCode.MethodNotAllowed),
        ["delete_server_instance_is_4.05"] = (() => Request(Delete, "/1/0"), CoapCode.MethodNotAllowed),
        ["delete_security_instance_is_4.01"] = (() => Request(Delete, "/0/0"), CoapCode.Unauthorized),
        ["discover_root_is_4.05"] = (() => Request(Get, "/", accept: F.LinkFormat), CoapCode.MethodNotAllowed),
        ["discover_missing_instance_is_4.04"] = (() => Request(Get, "/9999/5", accept: F.LinkFormat), CoapCode.NotFound),
        ["discover_security_is_4.01"] = (() => Request(Get, "/0", accept: F.LinkFormat), CoapCode.Unauthorized),
        ["discover_bad_depth_is_4.00"] = (() => Request(Get, "/9999", accept: F.LinkFormat, queries: "depth=7"), CoapCode.BadRequest),
        ["write_attributes_unknown_name_is_4.00"] = (() => Request(Put, "/9999/0/1", queries: "colour=red"), CoapCode.BadRequest),
        ["write_attributes_bad_number_is_4.00"] = (() => Request(Put, "/9999/0/1", queries: "pmin=soon"), CoapCode.BadRequest),
        ["write_attributes_lt_above_gt_is_4.00"] = (() => Request(Put, "/9999/0/1", queries: ["lt=10", "gt=5"]), CoapCode.BadRequest),
        ["write_attributes_step_crowding_thresholds_is_4.00"] = (() => Request(Put, "/9999/0/1", queries: ["lt=1", "gt=5", "st=3"]), CoapCode.BadRequest),
        ["write_attributes_negative_pmin_is_4.00"] = (() => Request(Put, "/9999/0/1", queries: "pmin=-1"), CoapCode.BadRequest),
        ["write_attributes_gt_on_instance_is_4.00"] = (() => Request(Put, "/9999/0", queries: "gt=5"), CoapCode.BadRequest),
        ["write_attributes_gt_on_string_is_4.00"] = (() => Request(Put, "/9999/0/0", queries: "gt=5"), CoapCode.BadRequest),
        ["write_attributes_edge_on_integer_is_4.00"] = (() => Request(Put, "/9999/0/1", queries: "edge=1"), CoapCode.BadRequest),
        ["write_attributes_bad_con_is_4.00"] = (() => Request(Put, "/9999/0/1", queries: "con=2"), CoapCode.BadRequest),
        ["write_attributes_ver_is_4.00"] = (() => Request(Put, "/9999", queries: "ver=1.1"), CoapCode.BadRequest),
        ["write_attributes_missing_instance_is_4.04"] = (() => Request(Put, "/9999/5", queries: "pmin=1"), CoapCode.NotFound),
        ["write_attributes_root_is_4.05"] = (() => Request(Put, "/", queries: "pmin=1"), CoapCode.MethodNotAllowed),
        ["read_composite_without_format_is_4.00"] = (() => Request(CoapCode.Fetch, "/"), CoapCode.BadRequest),
        ["read_composite_in_tlv_is_4.15"] = (() => Request(CoapCode.Fetch, "/", F.Tlv, new byte[] { 0xC1, 0x01, 0x05 }), CoapCode.UnsupportedContentFormat),
        ["read_composite_accepting_text_is_4.06"] = (() => Request(CoapCode.Fetch, "/", F.SenmlJson, Utf8("[{\"n\":\"/9999/0/1\"}]"), accept: F.Text), CoapCode.NotAcceptable),
        ["read_composite_of_missing_paths_is_4.04"] = (() => Request(CoapCode.Fetch, "/", F.SenmlJson, Utf8("[{\"n\":\"/9999/5/1\"}]")), CoapCode.NotFound),
        ["read_composite_on_object_path_is_4.05"] = (() => Request(CoapCode.Fetch, "/9999", F.SenmlJson, Utf8("[{\"n\":\"/9999/0/1\"}]")), CoapCode.MethodNotAllowed),
        ["write_composite_read_only_is_4.05"] = (() => Request(CoapCode.IPatch, "/", F.SenmlJson, Utf8("[{\"n\":\"/9999/0/9\",\"v\":1}]")), CoapCode.MethodNotAllowed),
        ["write_composite_missing_instance_is_4.04"] = (() => Request(CoapCode.IPatch, "/", F.SenmlJson, Utf8("[{\"n\":\"/9999/5/1\",\"v\":1}]")), CoapCode.NotFound),
        ["write_composite_without_value_is_4.00"] = (() => Request(CoapCode.IPatch, "/", F.SenmlJson, Utf8("[{\"n\":\"/9999/0/1\"}]")), CoapCode.BadRequest),
        ["write_composite_security_is_4.01"] = (() => Request(CoapCode.IPatch, "/", F.SenmlJson, Utf8("[{\"n\":\"/0/0/0\",\"vs\":\"x\"}]")), CoapCode.Unauthorized),
        ["write_composite_in_text_is_4.15"] = (() => Request(CoapCode.IPatch, "/", F.Text, Utf8("1")), CoapCode.UnsupportedContentFormat),
        ["patch_is_4.05"] = (() => Request(CoapCode.Patch, "/9999/0/1", F.Text, Utf8("1")), CoapCode.MethodNotAllowed),
        ["bootstrap_finish_from_a_server_is_4.04"] = (() => Request(Post, "/bs"), CoapCode.NotFound),
    };

    public static TheoryData<string> CaseNames() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Refused_request_gets_the_code_the_TS_names_and_changes_nothing(string name)
    {
        Lwm2mObjectStore store = CreateStore();
        var changes = 0;
        store.ValuesChanged += (_, _) => changes++;
        store.InstancesChanged += (_, _) => changes++;
        var dispatcher = new Lwm2mRequestDispatcher(store);
        (Func<CoapMessage> request, CoapCode expected) = Cases[name];

        CoapResponse response = dispatcher.Handle(request(), 101);

        Assert.Equal(expected, response.Code);
        Assert.Equal(0, changes);
        Assert.Null(store.Attributes.GetAttributes(101, P("/9999/0/1")));
    }

    [Fact]
    public void A_handler_that_throws_gives_5_00_and_the_next_request_is_served()
    {
        var dispatcher = new Lwm2mRequestDispatcher(CreateStore(new ThrowingHandler()));

        CoapResponse failed = dispatcher.Handle(Request(Post, "/9999/0/8"), 101);
        CoapResponse next = dispatcher.Handle(Request(Get, "/9999/0/1", accept: F.Text), 101);

        Assert.Equal(CoapCode.InternalServerError, failed.Code);
        Assert.Equal(CoapCode.Content, next.Code);
        Assert.Equal("42", next.PayloadText);
    }

    [Fact]
    public void A_write_the_application_refuses_is_4_00_and_stores_nothing()
    {
        Lwm2mObjectStore store = CreateStore(new RefusingHandler());
        var dispatcher = new Lwm2mRequestDispatcher(store);

        CoapResponse response = dispatcher.Handle(Request(Post, "/9999/0", F.SenmlJson, Utf8("[{\"n\":\"/9999/0/0\",\"vs\":\"ok\"},{\"n\":\"/9999/0/1\",\"v\":-1}]")), 101);

        Assert.Equal(CoapCode.BadRequest, response.Code);
        Assert.Equal("hello", store.GetValue(P("/9999/0/0")).AsString());
        Assert.Equal(42, store.GetValue(P("/9999/0/1")).AsInteger());
    }

    private sealed class ThrowingHandler : ILwm2mObjectHandler
    {
        public Lwm2mStatus OnExecute(Lwm2mPath resourcePath, Lwm2mExecuteArguments arguments) => throw new InvalidOperationException("device on fire");
    }

    private sealed class RefusingHandler : ILwm2mObjectHandler
    {
        public Lwm2mStatus OnWrite(Lwm2mPath resourcePath, Lwm2mResource resource, bool fromBootstrapServer) =>
            resource is Lwm2mSingleResource { Value.Type: Lwm2mResourceType.Integer } s && s.Value.AsInteger() < 0 ? Lwm2mStatus.BadRequest : Lwm2mStatus.Ok;
    }
}
