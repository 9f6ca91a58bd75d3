using System.Text.Json;

namespace Tern.Lwm2m.Client.Configuration;

/// <summary>The outcome of reading a configuration file: the configuration, or the reasons it was refused.</summary>
/// <param name="Configuration">The configuration, when <see cref="Errors"/> is empty.</param>
/// <param name="Errors">What is wrong with the file, one readable line each.</param>
public sealed record Lwm2mConfigurationReadResult(Lwm2mClientConfiguration? Configuration, IReadOnlyList<string> Errors)
{
    /// <summary>Whether the file was read and validated without errors.</summary>
    public bool IsSuccess => Configuration is not null && Errors.Count == 0;
}

/// <summary>
/// Reads a factory-bootstrap configuration from a small JSON document:
/// <code>
/// { "securities": [ { "instanceId": 0, "serverUri": "coap://host", "bootstrapServer": false,
///                     "securityMode": "NoSec", "shortServerId": 1, "identity": "base64", "secretKey": "base64" } ],
///   "servers":    [ { "instanceId": 0, "shortServerId": 1, "lifetime": 300, "binding": "UQ",
///                     "disableTimeout": 86400, "bootstrapOnRegistrationFailure": true,
///                     "retryCount": 5, "retryTimer": 60, "sequenceDelayTimer": 86400, "sequenceRetryCount": 1 } ],
///   "accessControls": [ { "instanceId": 0, "objectId": 3, "objectInstanceId": 0, "owner": 1,
///                         "acl": [ { "shortServerId": 1, "rights": 7 } ] } ] }
/// </code>
/// <c>accessControls</c> is optional.
/// Durations are whole seconds. Bad input yields errors, never an exception.
/// </summary>
public static partial class Lwm2mConfigurationJson
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 8, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>Parses and validates a configuration document.</summary>
    /// <param name="json">The UTF-8 JSON text.</param>
    public static Lwm2mConfigurationReadResult Parse(ReadOnlyMemory<byte> json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            return new(null, [$"The configuration is not valid JSON: {e.Message}"]);
        }

        using (document)
        {
            var errors = new List<string>();
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new(null, ["The configuration must be a JSON object with 'securities' and 'servers' arrays."]);
            }

            var securities = ReadArray(root, "securities", errors, ReadSecurity);
            var servers = ReadArray(root, "servers", errors, ReadServer);
            var accessControls = ReadArray(root, "accessControls", errors, ReadAccessControl);
            if (errors.Count > 0)
            {
                return new(null, errors);
            }

            var configuration = new Lwm2mClientConfiguration(securities, servers, accessControls);
            var invalid = configuration.Validate();
            return invalid.Count > 0 ? new(null, invalid) : new(configuration, []);
        }
    }

    private static List<T> ReadArray<T>(JsonElement root, string name, List<string> errors, Func<JsonElement, string, List<string>, T?> read)
        where T : class
    {
        var items = new List<T>();
        if (!root.TryGetProperty(name, out var array))
        {
            return items;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"'{name}' must be an array.");
            return items;
        }

        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            var where = $"{name}[{index++}]";
            if (element.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{where} must be an object.");
                continue;
            }

            if (read(element, where, errors) is { } item)
            {
                items.Add(item);
            }
        }

        return items;
    }

    private static Lwm2mSecurityInstance? ReadSecurity(JsonElement e, string where, List<string> errors)
    {
        var before = errors.Count;
        var id = ReadUShort(e, "instanceId", where, errors) ?? 0;
        var uri = ReadString(e, "serverUri", where, errors, required: true) ?? string.Empty;
        var bootstrap = ReadBool(e, "bootstrapServer", where, errors) ?? false;
        var mode = ReadMode(e, where, errors);
        var ssid = ReadUShort(e, "shortServerId", where, errors, required: false);
        var identity = ReadBase64(e, "identity", where, errors);
        var key = ReadBase64(e, "secretKey", where, errors);
        var holdOff = ReadSeconds(e, "clientHoldOffTime", where, errors);
        var serverKey = ReadBase64(e, "serverPublicKey", where, errors);
        return errors.Count > before
            ? null
            : new Lwm2mSecurityInstance(id, uri, bootstrap, mode) { ShortServerId = ssid, PublicKeyOrIdentity = identity, SecretKey = key, ClientHoldOffTime = holdOff, ServerPublicKey = serverKey };
    }

    private static Lwm2mServerInstance? ReadServer(JsonElement e, string where, List<string> errors)
    {
        var before = errors.Count;
        var defaults = new Lwm2mServerInstance(0, 1, TimeSpan.Zero);
        var id = ReadUShort(e, "instanceId", where, errors) ?? 0;
        var ssid = ReadUShort(e, "shortServerId", where, errors) ?? 0;
        var lifetime = ReadSeconds(e, "lifetime", where, errors) ?? TimeSpan.FromSeconds(86400);
        var binding = ReadString(e, "binding", where, errors, required: false) ?? "U";
        var server = new Lwm2mServerInstance(id, ssid, lifetime, binding)
        {
            DefaultMinPeriod = ReadSeconds(e, "defaultMinPeriod", where, errors),
            DefaultMaxPeriod = ReadSeconds(e, "defaultMaxPeriod", where, errors),
            DisableTimeout = ReadSeconds(e, "disableTimeout", where, errors) ?? defaults.DisableTimeout,
            NotificationStoring = ReadBool(e, "notificationStoring", where, errors) ?? defaults.NotificationStoring,
            BootstrapOnRegistrationFailure = ReadBool(e, "bootstrapOnRegistrationFailure", where, errors) ?? defaults.BootstrapOnRegistrationFailure,
            CommunicationRetryCount = ReadUShort(e, "retryCount", where, errors, required: false) ?? defaults.CommunicationRetryCount,
            CommunicationRetryTimer = ReadSeconds(e, "retryTimer", where, errors) ?? defaults.CommunicationRetryTimer,
            SequenceDelayTimer = ReadSeconds(e, "sequenceDelayTimer", where, errors) ?? defaults.SequenceDelayTimer,
            SequenceRetryCount = ReadUShort(e, "sequenceRetryCount", where, errors, required: false) ?? defaults.SequenceRetryCount,
            PreferredTransport = ReadString(e, "preferredTransport", where, errors, required: false),
        };
        return errors.Count > before ? null : server;
    }

    private static Lwm2mAccessControlInstance? ReadAccessControl(JsonElement e, string where, List<string> errors)
    {
        var before = errors.Count;
        var id = ReadUShort(e, "instanceId", where, errors) ?? 0;
        var objectId = ReadUShort(e, "objectId", where, errors) ?? 0;
        var objectInstanceId = ReadUShort(e, "objectInstanceId", where, errors) ?? 0;
        var owner = ReadUShort(e, "owner", where, errors) ?? 0;
        var acl = ReadArray(e, "acl", errors, ReadAclEntry);
        return errors.Count > before ? null : new Lwm2mAccessControlInstance(id, objectId, objectInstanceId, owner) { Acl = acl };
    }

    private static Lwm2mAclEntry? ReadAclEntry(JsonElement e, string where, List<string> errors)
    {
        var before = errors.Count;
        var ssid = ReadUShort(e, "shortServerId", where, errors) ?? 0;
        var rights = ReadUShort(e, "rights", where, errors) ?? 0;
        return errors.Count > before ? null : new Lwm2mAclEntry(ssid, (Lwm2mAccessRights)rights);
    }

    private static ushort? ReadUShort(JsonElement e, string name, string where, List<string> errors, bool required = true)
    {
        if (!e.TryGetProperty(name, out var value))
        {
            if (required)
            {
                errors.Add($"{where}.{name} is missing.");
            }

            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetUInt16(out var result))
        {
            return result;
        }

        errors.Add($"{where}.{name} must be an integer between 0 and 65535.");
        return null;
    }

    private static TimeSpan? ReadSeconds(JsonElement e, string name, string where, List<string> errors)
    {
        if (!e.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetUInt32(out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        errors.Add($"{where}.{name} must be a whole number of seconds (0..4294967295).");
        return null;
    }

    private static bool? ReadBool(JsonElement e, string name, string where, List<string> errors)
    {
        if (!e.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        errors.Add($"{where}.{name} must be true or false.");
        return null;
    }

    private static string? ReadString(JsonElement e, string name, string where, List<string> errors, bool required)
    {
        if (!e.TryGetProperty(name, out var value))
        {
            if (required)
            {
                errors.Add($"{where}.{name} is missing.");
            }

            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        errors.Add($"{where}.{name} must be a string.");
        return null;
    }

    private static ReadOnlyMemory<byte> ReadBase64(JsonElement e, string name, string where, List<string> errors)
    {
        if (!e.TryGetProperty(name, out var value))
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        if (value.ValueKind == JsonValueKind.String && value.TryGetBytesFromBase64(out var bytes))
        {
            return bytes;
        }

        errors.Add($"{where}.{name} must be a base64 string.");
        return ReadOnlyMemory<byte>.Empty;
    }

    private static Lwm2mSecurityMode ReadMode(JsonElement e, string where, List<string> errors)
    {
        if (!e.TryGetProperty("securityMode", out var value))
        {
            return Lwm2mSecurityMode.NoSec;
        }

        if (value.ValueKind == JsonValueKind.String && Enum.TryParse<Lwm2mSecurityMode>(value.GetString(), ignoreCase: true, out var named)
            && Enum.IsDefined(named) && !int.TryParse(value.GetString(), out _))
        {
            return named;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && Enum.IsDefined((Lwm2mSecurityMode)number))
        {
            return (Lwm2mSecurityMode)number;
        }

        errors.Add($"{where}.securityMode must be one of PreSharedKey, RawPublicKey, Certificate, NoSec, CertificateWithEst (or 0..4).");
        return Lwm2mSecurityMode.NoSec;
    }
}
