using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tern.Lwm2m.Server.Rest.Json;

/// <summary>
/// One node of the LwM2M data tree as JSON. <see cref="Kind"/> says which fields apply:
/// <c>object</c> (<see cref="Instances"/>), <c>instance</c> (<see cref="Resources"/>),
/// <c>resource</c> (<see cref="Type"/> and <see cref="Value"/>), <c>multipleResource</c>
/// (<see cref="Type"/> and <see cref="Values"/> keyed by resource instance id) and
/// <c>resourceInstance</c> (<see cref="Type"/> and <see cref="Value"/>).
/// </summary>
public sealed class NodeDto
{
    /// <summary>The node's absolute path, on the outermost node of a response (optional in requests).</summary>
    [JsonPropertyName("path")]
    public string? Path { get; set; }

    /// <summary>The node kind; in requests it may be left out where the path and fields make it plain.</summary>
    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    /// <summary>The node's id (object, instance, resource or resource instance id).</summary>
    [JsonPropertyName("id")]
    public int? Id { get; set; }

    /// <summary>The LwM2M data type name of a resource, e.g. <c>Integer</c>.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    /// <summary>The value of a single resource or resource instance.</summary>
    [JsonPropertyName("value")]
    public JsonElement? Value { get; set; }

    /// <summary>The values of a multiple resource, keyed by resource instance id.</summary>
    [JsonPropertyName("values")]
    public Dictionary<string, JsonElement>? Values { get; set; }

    /// <summary>The instances of an object.</summary>
    [JsonPropertyName("instances")]
    public List<NodeDto>? Instances { get; set; }

    /// <summary>The resources of an object instance.</summary>
    [JsonPropertyName("resources")]
    public List<NodeDto>? Resources { get; set; }
}

/// <summary>The node kind names <see cref="NodeDto.Kind"/> uses.</summary>
public static class NodeKinds
{
    /// <summary>An object with its instances.</summary>
    public const string Object = "object";

    /// <summary>An object instance with its resources.</summary>
    public const string Instance = "instance";

    /// <summary>A single-instance resource.</summary>
    public const string Resource = "resource";

    /// <summary>A multiple-instance resource.</summary>
    public const string MultipleResource = "multipleResource";

    /// <summary>One instance of a multiple resource.</summary>
    public const string ResourceInstance = "resourceInstance";
}
