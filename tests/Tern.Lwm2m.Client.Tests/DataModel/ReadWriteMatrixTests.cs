using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;
using static Tern.Lwm2m.Client.Tests.DataModel.TestModel;
using F = Tern.Lwm2m.Formats.Lwm2mContentFormat;
using T = Tern.Lwm2m.Model.Lwm2mResourceType;

namespace Tern.Lwm2m.Client.Tests.DataModel;

/// <summary>
/// Read and Write on every kind of path in every content format the client speaks (Leshan's integration tests run
/// the same matrix). Formats that cannot carry a node answer 4.06 on Read and 4.15 on Write, as the TS says.
/// </summary>
public class ReadWriteMatrixTests
{
    private static readonly ushort[] AllFormats = [F.Text, F.Opaque, F.Cbor, F.SenmlJson, F.SenmlCbor, F.Tlv, F.OmaJson, F.Lwm2mCbor];

    /// <summary>The kinds of path: object, instance, single resource, multiple resource, resource instance, and an opaque resource.</summary>
    private static readonly string[] Paths = ["/9999", "/9999/0", "/9999/0/1", "/9999/0/7", "/9999/0/7/1", "/9999/0/4"];

    /// <summary>What the TS lets each format carry: text and CBOR one value, octet-stream one opaque value, the rest anything.</summary>
    private static bool Carries(ushort format, string path) => format switch
    {
        F.Text or F.Cbor => path is "/9999/0/1" or "/9999/0/7/1" or "/9999/0/4",
        F.Opaque => path == "/9999/0/4",
        _ => true,
    };

    public static TheoryData<ushort, string> Matrix()
    {
        var data = new TheoryData<ushort, string>();
        foreach (ushort format in AllFormats)
        {
            foreach (string path in Paths)
            {
                data.Add(format, path);
            }
        }

        return data;
    }

    /// <summary>What a server reads back: the stored node without the write-only resource /9999/x/10.</summary>
    private static Lwm2mNode Expected(string path)
    {
        var readable0 = new Lwm2mObjectInstance(0, [.. Instance0.Resources.Where(r => r.Id != 10)]);
        var instance1 = new Lwm2mObjectInstance(1, [new Lwm2mSingleResource(1, Lwm2mValue.FromInteger(-5)), new Lwm2mSingleResource(9, Lwm2mValue.FromInteger(1))]);
        return path switch
        {
            "/9999" => new Lwm2mObject(Id, [readable0, instance1]),
            "/9999/0" => readable0,
            "/9999/0/1" => new Lwm2mSingleResource(1, Lwm2mValue.FromInteger(42)),
            "/9999/0/7" => new Lwm2mMultipleResource(7, T.Integer, [new(0, Lwm2mValue.FromInteger(10)), new(1, Lwm2mValue.FromInteger(11))]),
            "/9999/0/7/1" => new Lwm2mResourceInstance(1, Lwm2mValue.FromInteger(11)),
            _ => new Lwm2mSingleResource(4, Lwm2mValue.FromOpaque([1, 2, 3])),
        };
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Read_with_accept_answers_in_that_format_or_not_acceptable(ushort format, string path)
    {
        var dispatcher = new Lwm2mRequestDispatcher(CreateStore());

        CoapResponse response = dispatcher.Handle(Request(CoapCode.Get, path, accept: format), 101);

        if (!Carries(format, path))
        {
            Assert.Equal(CoapCode.NotAcceptable, response.Code);
            return;
        }

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(format, response.ContentFormat);
        Assert.Equal(Expected(path), Decode(response, P(path)));
    }

    /// <summary>The node each write sends, per path.</summary>
    private static Lwm2mNode NewValue(string path) => path switch
    {
        "/9999/0" => new Lwm2mObjectInstance(0,
            [new Lwm2mSingleResource(0, Lwm2mValue.FromString("new")), new Lwm2mSingleResource(1, Lwm2mValue.FromInteger(43)),
             new Lwm2mMultipleResource(7, T.Integer, [new(5, Lwm2mValue.FromInteger(50))])]),
        "/9999/0/1" => new Lwm2mSingleResource(1, Lwm2mValue.FromInteger(77)),
        "/9999/0/7" => new Lwm2mMultipleResource(7, T.Integer, [new(2, Lwm2mValue.FromInteger(22))]),
        "/9999/0/7/1" => new Lwm2mResourceInstance(1, Lwm2mValue.FromInteger(111)),
        "/9999/0/4" => new Lwm2mSingleResource(4, Lwm2mValue.FromOpaque([9, 9])),
        _ => new Lwm2mObject(Id, [new Lwm2mObjectInstance(0, [new Lwm2mSingleResource(1, Lwm2mValue.FromInteger(1))])]),
    };

    private static Dictionary<int, long> Multiple(params (int Id, long Value)[] items) => items.ToDictionary(i => i.Id, i => i.Value);

    private static Dictionary<int, long> ReadMultiple(Lwm2mObjectStore store) =>
        store.GetNode(P("/9999/0/7")) is Lwm2mMultipleResource m ? m.Instances.ToDictionary(i => i.Id, i => i.Value.AsInteger()) : [];

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Write_replace_stores_the_new_value_or_refuses_the_format(ushort format, string path) =>
        WriteAndCheck(format, path, CoapCode.Put);

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Write_partial_update_merges_the_new_value_or_refuses_the_format(ushort format, string path) =>
        WriteAndCheck(format, path, CoapCode.Post);

    private static void WriteAndCheck(ushort format, string path, CoapCode method)
    {
        Lwm2mObjectStore store = CreateStore();
        var dispatcher = new Lwm2mRequestDispatcher(store);
        bool carries = Carries(format, path) && path != "/9999";
        byte[] payload = carries ? Encode(format, P(path), NewValue(path)) : [0x31];

        CoapResponse response = dispatcher.Handle(Request(method, path, format, payload), 101);

        if (path == "/9999")
        {
            // Writing a whole object is Bootstrap-Write only; a POST on an object is Create, and this payload names an existing instance.
            Assert.Equal(method == CoapCode.Put ? CoapCode.MethodNotAllowed : CarriesCreate(format) ? CoapCode.BadRequest : CoapCode.UnsupportedContentFormat, response.Code);
            return;
        }

        if (!carries)
        {
            Assert.Equal(CoapCode.UnsupportedContentFormat, response.Code);
            Assert.Equal(Expected("/9999/0"), new Lwm2mObjectInstance(0, [.. ((Lwm2mObjectInstance)store.GetNode(P("/9999/0"))!).Resources.Where(r => r.Id != 10)]));
            return;
        }

        Assert.Equal(CoapCode.Changed, response.Code);
        bool replace = method == CoapCode.Put;
        switch (path)
        {
            case "/9999/0":
                Assert.Equal("new", store.GetValue(P("/9999/0/0")).AsString());
                Assert.Equal(43, store.GetValue(P("/9999/0/1")).AsInteger());
                Assert.Equal(replace ? Multiple((5, 50)) : Multiple((0, 10), (1, 11), (5, 50)), ReadMultiple(store));
                Assert.Equal(7, store.GetValue(P("/9999/0/9")).AsInteger());
                Assert.Equal(!replace, store.TryGetValue(P("/9999/0/2"), out _));
                break;
            case "/9999/0/1":
                Assert.Equal(77, store.GetValue(P(path)).AsInteger());
                break;
            case "/9999/0/7":
                Assert.Equal(replace ? Multiple((2, 22)) : Multiple((0, 10), (1, 11), (2, 22)), ReadMultiple(store));
                break;
            case "/9999/0/7/1":
                Assert.Equal(Multiple((0, 10), (1, 111)), ReadMultiple(store));
                break;
            default:
                Assert.Equal([9, 9], store.GetValue(P(path)).AsOpaque());
                break;
        }
    }

    private static bool CarriesCreate(ushort format) => format is not (F.Text or F.Cbor or F.Opaque);

    [Theory]
    [InlineData(F.SenmlJson)]
    [InlineData(F.SenmlCbor)]
    [InlineData(F.Tlv)]
    [InlineData(F.OmaJson)]
    [InlineData(F.Lwm2mCbor)]
    public void Create_with_an_instance_id_answers_created_with_its_location(ushort format)
    {
        Lwm2mObjectStore store = CreateStore();
        var dispatcher = new Lwm2mRequestDispatcher(store);
        var node = new Lwm2mObject(Id, [new Lwm2mObjectInstance(5, [new Lwm2mSingleResource(0, Lwm2mValue.FromString("made")), new Lwm2mSingleResource(9, Lwm2mValue.FromInteger(3))])]);

        CoapResponse response = dispatcher.Handle(Request(CoapCode.Post, "/9999", format, Encode(format, P("/9999"), node)), 101);

        Assert.Equal(CoapCode.Created, response.Code);
        Assert.Equal(["9999", "5"], response.Message.GetOptions(CoapOptionNumber.LocationPath).Select(o => o.GetString()));
        Assert.Equal("made", store.GetValue(P("/9999/5/0")).AsString());
        Assert.Equal(3, store.GetValue(P("/9999/5/9")).AsInteger());
    }

    [Theory]
    [InlineData(F.SenmlJson)]
    [InlineData(F.SenmlCbor)]
    [InlineData(F.Tlv)]
    [InlineData(F.OmaJson)]
    [InlineData(F.Lwm2mCbor)]
    public void Create_read_back_and_delete_round_trip_in_every_format(ushort format)
    {
        Lwm2mObjectStore store = CreateStore();
        var dispatcher = new Lwm2mRequestDispatcher(store);
        var created = new Lwm2mObjectInstance(4, [new Lwm2mSingleResource(1, Lwm2mValue.FromInteger(8)), new Lwm2mSingleResource(9, Lwm2mValue.FromInteger(2))]);

        Assert.Equal(CoapCode.Created, dispatcher.Handle(Request(CoapCode.Post, "/9999", format, Encode(format, P("/9999"), new Lwm2mObject(Id, [created]))), 101).Code);
        CoapResponse read = dispatcher.Handle(Request(CoapCode.Get, "/9999/4", accept: format), 101);
        CoapResponse deleted = dispatcher.Handle(Request(CoapCode.Delete, "/9999/4"), 101);

        Assert.Equal(created, Decode(read, P("/9999/4")));
        Assert.Equal(CoapCode.Deleted, deleted.Code);
        Assert.False(store.Exists(P("/9999/4")));
    }

    [Theory]
    [InlineData(F.SenmlJson)]
    [InlineData(F.SenmlCbor)]
    [InlineData(F.Lwm2mCbor)]
    public void Read_composite_answers_every_requested_path_in_the_request_format(ushort format)
    {
        var dispatcher = new Lwm2mRequestDispatcher(CreateStore());
        byte[] payload = EncodeRecords(format, new Lwm2mRecord(P("/9999/0/1"), null), new Lwm2mRecord(P("/9999/1"), null), new Lwm2mRecord(P("/3/0/0"), null));

        CoapResponse response = dispatcher.Handle(Request(CoapCode.Fetch, "/", format, payload), 101);

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(format, response.ContentFormat);
        Assert.True(Lwm2mContentFormatRegistry.Default.TryGet(format, out ILwm2mContentCodec? codec));
        var records = codec.DecodeRecords(response.Payload.Span, new Definitions.ObjectDefinitionRegistry()).Value!;
        // LwM2M CBOR nests paths as a tree, so records come back in path order; compare them as a set.
        Assert.Equal(
            ["/3/0/0=Tern", "/9999/0/1=42", "/9999/1/1=-5", "/9999/1/9=1"],
            records.Select(r => $"{r.Path}={r.Value}").Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(F.SenmlJson)]
    [InlineData(F.SenmlCbor)]
    [InlineData(F.Lwm2mCbor)]
    public void Write_composite_sets_resources_of_several_instances_and_raises_one_change(ushort format)
    {
        Lwm2mObjectStore store = CreateStore();
        var dispatcher = new Lwm2mRequestDispatcher(store);
        var events = new List<IReadOnlyList<Lwm2mPath>>();
        store.ValuesChanged += (_, e) => events.Add(e.Paths);
        byte[] payload = EncodeRecords(format,
            new Lwm2mRecord(P("/9999/0/1"), Lwm2mValue.FromInteger(1000)),
            new Lwm2mRecord(P("/9999/1/0"), Lwm2mValue.FromString("one")),
            new Lwm2mRecord(P("/9999/0/7/3"), Lwm2mValue.FromInteger(33)));

        CoapResponse response = dispatcher.Handle(Request(CoapCode.IPatch, "/", format, payload), 101);

        Assert.Equal(CoapCode.Changed, response.Code);
        Assert.Equal(1000, store.GetValue(P("/9999/0/1")).AsInteger());
        Assert.Equal("one", store.GetValue(P("/9999/1/0")).AsString());
        Assert.Equal(Multiple((0, 10), (1, 11), (3, 33)), ReadMultiple(store));
        Assert.Equal(["/9999/0/1", "/9999/0/7", "/9999/1/0"], Assert.Single(events).Select(p => p.ToString()));
    }
}
