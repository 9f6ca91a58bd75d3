using System.Buffers;
using System.Text;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;
using T = Tern.Lwm2m.Model.Lwm2mResourceType;

namespace Tern.Lwm2m.Client.Tests.DataModel;

/// <summary>A test object with one resource of every type and access, a store holding it, and request builders.</summary>
internal static class TestModel
{
    public const int Id = 9999;

    public static ObjectDefinition Definition { get; } = new(Id, "Test", "1.1", "1.1", true, false, "urn:test", new Dictionary<int, ResourceDefinition>
    {
        [0] = new(0, "String", Lwm2mOperations.ReadWrite, false, false, T.String),
        [1] = new(1, "Integer", Lwm2mOperations.ReadWrite, false, false, T.Integer),
        [2] = new(2, "Float", Lwm2mOperations.ReadWrite, false, false, T.Float),
        [3] = new(3, "Boolean", Lwm2mOperations.ReadWrite, false, false, T.Boolean),
        [4] = new(4, "Opaque", Lwm2mOperations.ReadWrite, false, false, T.Opaque),
        [5] = new(5, "Time", Lwm2mOperations.ReadWrite, false, false, T.Time),
        [6] = new(6, "Link", Lwm2mOperations.ReadWrite, false, false, T.Objlnk),
        [7] = new(7, "Multiple", Lwm2mOperations.ReadWrite, true, false, T.Integer),
        [8] = new(8, "Run", Lwm2mOperations.Execute, false, false, T.None),
        [9] = new(9, "ReadOnly", Lwm2mOperations.Read, false, true, T.Integer),
        [10] = new(10, "WriteOnly", Lwm2mOperations.Write, false, false, T.String),
        [11] = new(11, "Unsigned", Lwm2mOperations.ReadWrite, false, false, T.UnsignedInteger),
    });

    public static Lwm2mPath P(string path) => Lwm2mPath.Parse(path);

    /// <summary>/9999/0 with every value set, /9999/1 with a few, /3/0 (Device) and /1/0, /0/0 (Server, Security).</summary>
    public static Lwm2mObjectStore CreateStore(ILwm2mObjectHandler? handler = null)
    {
        var store = new Lwm2mObjectStore();
        store.AddObject(Definition, handler);
        store.CreateInstance(Id, 0, Instance0.Resources);
        store.CreateInstance(Id, 1, [new Lwm2mSingleResource(1, Lwm2mValue.FromInteger(-5)), new Lwm2mSingleResource(9, Lwm2mValue.FromInteger(1))]);
        store.AddObject(3);
        store.CreateInstance(3, 0, [new Lwm2mSingleResource(0, Lwm2mValue.FromString("Tern")), new Lwm2mMultipleResource(11, T.Integer, [new(0, Lwm2mValue.FromInteger(0))])]);
        store.LoadConfiguration(new Tern.Lwm2m.Client.Configuration.Lwm2mClientConfiguration(
            [new Tern.Lwm2m.Client.Configuration.Lwm2mSecurityInstance(0, "coap://server", false, Tern.Lwm2m.Client.Configuration.Lwm2mSecurityMode.NoSec) { ShortServerId = 101 },
             new Tern.Lwm2m.Client.Configuration.Lwm2mSecurityInstance(1, "coap://bootstrap", true, Tern.Lwm2m.Client.Configuration.Lwm2mSecurityMode.NoSec)],
            [new Tern.Lwm2m.Client.Configuration.Lwm2mServerInstance(0, 101, TimeSpan.FromSeconds(300))]));
        return store;
    }

    public static Lwm2mObjectInstance Instance0 { get; } = new(0,
    [
        new Lwm2mSingleResource(0, Lwm2mValue.FromString("hello")),
        new Lwm2mSingleResource(1, Lwm2mValue.FromInteger(42)),
        new Lwm2mSingleResource(2, Lwm2mValue.FromFloat(1.5)),
        new Lwm2mSingleResource(3, Lwm2mValue.FromBoolean(true)),
        new Lwm2mSingleResource(4, Lwm2mValue.FromOpaque([1, 2, 3])),
        new Lwm2mSingleResource(5, Lwm2mValue.FromUnixTime(1_700_000_000)),
        new Lwm2mSingleResource(6, Lwm2mValue.FromObjectLink(new Lwm2mObjectLink(3, 0))),
        new Lwm2mMultipleResource(7, T.Integer, [new(0, Lwm2mValue.FromInteger(10)), new(1, Lwm2mValue.FromInteger(11))]),
        new Lwm2mSingleResource(9, Lwm2mValue.FromInteger(7)),
        new Lwm2mSingleResource(10, Lwm2mValue.FromString("secret")),
        new Lwm2mSingleResource(11, Lwm2mValue.FromUnsignedInteger(99)),
    ]);

    public static CoapMessage Request(CoapCode code, string path, ushort? contentFormat = null, ReadOnlyMemory<byte> payload = default, uint? accept = null, params string[] queries)
    {
        var message = new CoapMessage { Code = code, Type = CoapMessageType.Confirmable }.SetUriPath(path);
        if (accept is { } a)
        {
            message.AddOption(CoapOption.FromUInt(CoapOptionNumber.Accept, a));
        }

        foreach (string query in queries)
        {
            message.AddOption(CoapOption.FromString(CoapOptionNumber.UriQuery, query));
        }

        message.ContentFormat = contentFormat;
        message.Payload = payload;
        return message;
    }

    public static CoapMessage Text(CoapCode code, string path, string payload, ushort? contentFormat = null) =>
        Request(code, path, contentFormat, Encoding.UTF8.GetBytes(payload));

    public static byte[] Encode(ushort format, Lwm2mPath path, Lwm2mNode node)
    {
        Assert.True(Lwm2mContentFormatRegistry.Default.TryGet(format, out ILwm2mContentCodec? codec));
        var buffer = new ArrayBufferWriter<byte>();
        Lwm2mCodecError? error = codec.EncodeNode(path, node, buffer);
        Assert.Null(error);
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] EncodeRecords(ushort format, params Lwm2mRecord[] records)
    {
        Assert.True(Lwm2mContentFormatRegistry.Default.TryGet(format, out ILwm2mContentCodec? codec));
        var buffer = new ArrayBufferWriter<byte>();
        Assert.Null(codec.EncodeRecords(records, buffer));
        return buffer.WrittenSpan.ToArray();
    }

    public static Lwm2mNode Decode(CoapResponse response, Lwm2mPath path)
    {
        Assert.True(response.ContentFormat is { } format && Lwm2mContentFormatRegistry.Default.TryGet(format, out ILwm2mContentCodec? codec), $"response {response.Code} has no known content format");
        Lwm2mContentFormatRegistry.Default.TryGet(response.ContentFormat!.Value, out ILwm2mContentCodec? c);
        var registry = new ObjectDefinitionRegistry();
        registry.Add(Definition);
        Lwm2mCodecResult<Lwm2mNode> decoded = c!.DecodeNode(response.Payload.Span, path, registry);
        Assert.True(decoded.IsSuccess, decoded.Error?.ToString());
        return decoded.Value!;
    }
}
