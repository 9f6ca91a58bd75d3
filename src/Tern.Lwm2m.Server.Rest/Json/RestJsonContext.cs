using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tern.Lwm2m.Server.Rest.Json;

/// <summary>Source-generated JSON metadata for every type the REST API reads or writes.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(NodeDto))]
[JsonSerializable(typeof(List<NodeDto>))]
[JsonSerializable(typeof(ClientDto))]
[JsonSerializable(typeof(List<ClientDto>))]
[JsonSerializable(typeof(List<LinkDto>))]
[JsonSerializable(typeof(DepartureDto))]
[JsonSerializable(typeof(ObservationDto))]
[JsonSerializable(typeof(NotificationDto))]
[JsonSerializable(typeof(CompositeDto))]
[JsonSerializable(typeof(SendDto))]
[JsonSerializable(typeof(BootstrapSessionDto))]
[JsonSerializable(typeof(BootstrapConfigurationDto))]
[JsonSerializable(typeof(List<BootstrapConfigurationDto>))]
[JsonSerializable(typeof(SecurityDto))]
[JsonSerializable(typeof(List<SecurityDto>))]
[JsonSerializable(typeof(FirmwareStatusDto))]
[JsonSerializable(typeof(FirmwareEventDto))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(ulong))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class RestJsonContext : JsonSerializerContext;

/// <summary>The JSON context the REST API uses: the generated metadata, with characters such as <c>&lt;</c> left unescaped so link values stay readable.</summary>
public static class RestJson
{
    /// <summary>The shared context.</summary>
    public static RestJsonContext Context { get; } = new(new JsonSerializerOptions(RestJsonContext.Default.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
