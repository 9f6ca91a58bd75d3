using System.Buffers;
using System.Text.Json;

namespace Tern.Lwm2m.Client.Configuration;

public static partial class Lwm2mConfigurationJson
{
    /// <summary>Writes <paramref name="configuration"/> in the format <see cref="Parse"/> reads.</summary>
    /// <param name="configuration">The configuration.</param>
    /// <param name="output">Where the UTF-8 JSON goes.</param>
    public static void Write(Lwm2mClientConfiguration configuration, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteStartArray("securities");
        foreach (var s in configuration.Securities)
        {
            json.WriteStartObject();
            json.WriteNumber("instanceId", s.InstanceId);
            json.WriteString("serverUri", s.ServerUri);
            json.WriteBoolean("bootstrapServer", s.IsBootstrapServer);
            json.WriteString("securityMode", s.SecurityMode.ToString());
            if (s.ShortServerId is { } ssid)
            {
                json.WriteNumber("shortServerId", ssid);
            }

            if (!s.PublicKeyOrIdentity.IsEmpty)
            {
                json.WriteBase64String("identity", s.PublicKeyOrIdentity.Span);
            }

            if (!s.SecretKey.IsEmpty)
            {
                json.WriteBase64String("secretKey", s.SecretKey.Span);
            }

            WriteSeconds(json, "clientHoldOffTime", s.ClientHoldOffTime);
            if (!s.ServerPublicKey.IsEmpty)
            {
                json.WriteBase64String("serverPublicKey", s.ServerPublicKey.Span);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("servers");
        foreach (var v in configuration.Servers)
        {
            json.WriteStartObject();
            json.WriteNumber("instanceId", v.InstanceId);
            json.WriteNumber("shortServerId", v.ShortServerId);
            json.WriteNumber("lifetime", (long)v.Lifetime.TotalSeconds);
            json.WriteString("binding", v.Binding);
            WriteSeconds(json, "defaultMinPeriod", v.DefaultMinPeriod);
            WriteSeconds(json, "defaultMaxPeriod", v.DefaultMaxPeriod);
            WriteSeconds(json, "disableTimeout", v.DisableTimeout);
            json.WriteBoolean("notificationStoring", v.NotificationStoring);
            json.WriteBoolean("bootstrapOnRegistrationFailure", v.BootstrapOnRegistrationFailure);
            json.WriteNumber("retryCount", v.CommunicationRetryCount);
            WriteSeconds(json, "retryTimer", v.CommunicationRetryTimer);
            WriteSeconds(json, "sequenceDelayTimer", v.SequenceDelayTimer);
            json.WriteNumber("sequenceRetryCount", v.SequenceRetryCount);
            if (v.PreferredTransport is { } transport)
            {
                json.WriteString("preferredTransport", transport);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (configuration.AccessControls.Count > 0)
        {
            WriteAccessControls(json, configuration.AccessControls);
        }

        json.WriteEndObject();
    }

    private static void WriteAccessControls(Utf8JsonWriter json, IReadOnlyList<Lwm2mAccessControlInstance> controls)
    {
        json.WriteStartArray("accessControls");
        foreach (var a in controls)
        {
            json.WriteStartObject();
            json.WriteNumber("instanceId", a.InstanceId);
            json.WriteNumber("objectId", a.ObjectId);
            json.WriteNumber("objectInstanceId", a.ObjectInstanceId);
            json.WriteNumber("owner", a.Owner);
            json.WriteStartArray("acl");
            foreach (var entry in a.Acl)
            {
                json.WriteStartObject();
                json.WriteNumber("shortServerId", entry.ShortServerId);
                json.WriteNumber("rights", (int)entry.Rights);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteSeconds(Utf8JsonWriter json, string name, TimeSpan? value)
    {
        if (value is { } span)
        {
            json.WriteNumber(name, (long)span.TotalSeconds);
        }
    }
}
